"""Survey templates for the isolation sweep: ID_FACTORIES["template_id"] makes a tenant template
whose name carries the marker (the list and the editor show the name).

The sweep's own `template_id` entry makes a notice template (the notice pages use the same
parameter name); tests/isolation/test_sweep.py picks this one for paths under surveys/templates.
"""

from __future__ import annotations

from tests.surveys import factories as survey_factories


async def make_template(tenant, marker: str = "问卷模板") -> int:
    row = await survey_factories.template(tenant, name=f"满意度调查 {marker}")
    return row.id


ID_FACTORIES = {("/t/{slug:str}/surveys/templates/", "template_id"): make_template}
