"""Property tenants under their own rules: the not-accepted grounds and the ground of a repeat
come from the pack; the agent's position is offered as handler where the pack says so."""

import pytest

from kefu.complaints import services
from kefu.complaints.policy import PolicyError, parse_policy, policy_for
from kefu.core.errors import FieldError
from tests.complaints.services.conftest import accepted, complaint_data, make_desk


@pytest.mark.parametrize(
    ("kind", "has", "lacks"),
    [
        ("insurance", "a15_1", "not_resident"),
        ("property", "not_resident", "a15_1"),
    ],
)
def test_each_pack_has_its_own_grounds(kind, has, lacks):
    policy = policy_for(kind)
    assert policy.ground(has) is not None and policy.ground(lacks) is None
    assert all(policy.ground(code) for code in policy.repeat_grounds.values())


def test_a_repeat_ground_must_be_one_of_the_packs_grounds():
    with pytest.raises(PolicyError, match="repeat_grounds.open"):
        parse_policy({"repeat_grounds": {"open": "nope", "decided": "a15_3"}}, "x")


async def test_a_property_centre_refuses_on_its_own_grounds_never_insurance_law():
    centre = await make_desk("property")
    c = await services.register_complaint(
        centre.agent, complaint_data(category="repair", materials_complete=True))
    with pytest.raises(FieldError) as bad:
        await services.review_complaint(centre.head, c.id, outcome="not_accept", ground="a15_1",
                                        reason="非本人")
    assert bad.value.field == "ground"
    c = await services.review_complaint(centre.head, c.id, outcome="not_accept",
                                        ground="not_resident", reason="来电人非本小区住户")
    assert (c.status, c.review_ground) == ("not_accepted", "not_resident")


async def test_a_property_repeat_is_named_with_the_packs_ground():
    centre = await make_desk("property")
    first = await services.register_complaint(
        centre.agent, complaint_data(category="repair", materials_complete=True))
    await services.review_complaint(centre.head, first.id, outcome="accept")
    again = await services.register_complaint(centre.agent, complaint_data(category="repair"))
    [match] = await services.find_repeats(centre.head, again.id)
    assert (match.complaint_id, match.ground) == (first.id, "repeat_open")


async def test_the_insurers_agent_can_be_given_a_complaint(desk):
    offered = {u.id for u in await services.handler_candidates(desk.head)}
    assert desk.agent.user.id in offered and desk.qa.user.id not in offered
    c = await accepted(desk)
    c = await services.assign_handler(desk.head, c.id, handler_id=desk.agent.user.id)
    assert (c.status, c.handler) == ("investigating", desk.agent.user.id)


async def test_a_property_front_desk_is_not_offered_where_the_pack_does_not_say_so():
    centre = await make_desk("property")
    offered = {u.id for u in await services.handler_candidates(centre.head)}
    assert centre.agent.user.id not in offered and centre.handler.user.id in offered
