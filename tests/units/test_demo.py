"""Demo units: the property demo gets buildings with units, its customers linked, some flats
occupied and one under renovation; an insurer gets none; loading twice adds nothing."""

from __future__ import annotations

from kefu.core.scoping import scoped
from kefu.customers import demo as customer_demo
from kefu.db import transaction
from kefu.units import demo
from kefu.units.tables import Building, Residency, Unit
from tests import factories


async def test_property_demo_units(app):
    tenant = await factories.tenant(kind="property")
    await customer_demo.load_demo(tenant)
    assert await demo.load_demo(tenant) == len(demo.demo_units())
    assert await demo.load_demo(tenant) == 0
    async with transaction(tenant.id, write=False):
        units = await scoped(Unit, tenant.id, Unit.occupancy, Unit.use)
        residents = await scoped(Residency, tenant.id, Residency.id)
        buildings = await scoped(Building, tenant.id, Building.name)
    states = [u["occupancy"] for u in units]
    assert len(buildings) == 6 and {u["use"] for u in units} == {"residential", "shop", "parking"}
    assert len(residents) == 40  # every demo owner and resident found their flat
    assert states.count("renovation") == 1
    assert states.count("owner_occupied") > 0 and states.count("let") > 0 and states.count("vacant") > 0


async def test_an_insurer_gets_no_units(app):
    tenant = await factories.tenant(kind="insurance")
    assert await demo.load_demo(tenant) == 0
