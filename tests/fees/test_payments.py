"""Payments at the desk: part payments add up, each has its own receipt number from the
tenant's counter, a bill takes no more than it is owed, bad input is a field error that writes
nothing, the receipt prints as a PDF with the unit and amount; names are escaped."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kefu.fees.tables import Payment
from tests.complaints.reports.support import pdf_text
from tests.fees import factories
from tests.fees.support import count, field_invalid, reload, rows

DEC_1 = date(2026, 12, 1)
GOOD = {"amount": "80.00", "method": "wechat", "paid_on": "2026-11-20", "reference": "WX123"}


async def test_part_payments_add_up_with_a_receipt_each(centre, frozen_clock):
    frozen_clock.travel(DEC_1)
    bill = await factories.bill(centre.tenant, amount="200.00")
    client = await centre.client("desk")
    first = await client.post(centre.url(f"/bills/{bill.id}/payments"), GOOD)
    assert first.status_code == 303, first.text[:500]
    second = await client.post(centre.url(f"/bills/{bill.id}/payments"), {**GOOD, "amount": "120", "method": "cash"})
    assert second.status_code == 303
    assert (await reload(centre.tenant, bill.id)).paid == Decimal("200.00")
    payments = await rows(centre.tenant, Payment)
    assert [p.receipt_no for p in payments] == ["SJ2026-000001", "SJ2026-000002"]
    page = await client.get(centre.url(f"/bills/{bill.id}"))
    assert "SJ2026-000002" in page.text and 'id="payment-form"' not in page.text  # settled


async def test_sub_fen_sums_stay_exact(centre, frozen_clock):
    frozen_clock.travel(DEC_1)
    bill = await factories.bill(centre.tenant, amount="0.30")
    client = await centre.client("desk")
    for amount in ("0.10", "0.20"):
        made = await client.post(centre.url(f"/bills/{bill.id}/payments"), {**GOOD, "amount": amount})
        assert made.status_code == 303
    assert (await reload(centre.tenant, bill.id)).paid == Decimal("0.30")


@pytest.mark.parametrize(("field", "value"), [
    ("amount", ""), ("amount", "0"), ("amount", "200.01"), ("amount", "-5"), ("amount", "1.234"),
    ("amount", "１００"), ("amount", "1e2"), ("amount", "NaN"), ("method", "bitcoin"), ("method", ""),
    ("paid_on", ""), ("paid_on", "2026-02-30"), ("paid_on", "2027-01-01"), ("reference", "x" * 101),
    ("reference", "a\x00b"),
])
async def test_bad_input_is_a_field_error_and_records_nothing(centre, frozen_clock, field, value):
    frozen_clock.travel(DEC_1)
    bill = await factories.bill(centre.tenant, amount="200.00")
    page = await (await centre.client("desk")).post(centre.url(f"/bills/{bill.id}/payments"), {**GOOD, field: value})
    assert page.status_code == 422 and field_invalid(page.text, field), (field, page.status_code)
    assert await count(centre.tenant, Payment) == 0
    assert (await reload(centre.tenant, bill.id)).paid == 0


async def test_errors_speak_the_users_language(centre, frozen_clock):
    frozen_clock.travel(DEC_1)
    bill = await factories.bill(centre.tenant)
    client = await centre.client("desk")
    page = await client.post(centre.url(f"/bills/{bill.id}/payments"), {**GOOD, "amount": "abc"},
                             headers={"accept-language": "zh-CN"})
    assert "Enter an amount" in page.text or "请填写金额" in page.text


async def test_a_settled_bill_is_refused(centre, frozen_clock):
    frozen_clock.travel(DEC_1)
    bill = await factories.bill(centre.tenant, amount="200.00", paid="200.00")
    page = await (await centre.client("desk")).post(centre.url(f"/bills/{bill.id}/payments"), GOOD)
    assert page.status_code == 409
    assert await count(centre.tenant, Payment) == 0


async def test_a_member_without_fees_collect_may_not_record(insurer):
    page = await (await insurer.client("manager")).post(insurer.url("/bills/1/payments"), GOOD)
    assert page.status_code == 403


async def test_the_receipt_prints_with_its_number_and_unit(centre, frozen_clock):
    frozen_clock.travel(DEC_1)
    bill = await factories.bill(centre.tenant, building="紫荆苑3栋")
    payment = await factories.payment(centre.tenant, bill, reference="<script>x</script>", receipt_no="SJ2026-000777")
    response = await (await centre.client("desk")).get(centre.url(f"/payments/{payment.id}/receipt.pdf"))
    if response.status_code == 503:
        pytest.skip("WeasyPrint is not installed here")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response.headers["cache-control"] == "private, no-store"
    text = pdf_text(response.content)
    if text is not None:
        assert "SJ2026-000777" in text and "紫荆苑3栋" in text and "50.00" in text


async def test_a_receipt_over_its_print_time_says_so_instead_of_holding_the_desk(centre, frozen_clock, monkeypatch):
    from kefu.core import pdf

    frozen_clock.travel(DEC_1)
    bill = await factories.bill(centre.tenant)
    payment = await factories.payment(centre.tenant, bill)
    monkeypatch.setattr(pdf, "PRINT_SECONDS", 0.0001)  # no layout finishes this fast
    response = await (await centre.client("desk")).get(centre.url(f"/payments/{payment.id}/receipt.pdf"))
    assert response.status_code == 503
    assert "打印" in response.text or "too long to print" in response.text
    assert "Traceback" not in response.text


async def test_names_on_the_bill_are_escaped(centre):
    item = await factories.item(centre.tenant, name="<img src=x onerror=alert(1)>")
    bill = await factories.bill(centre.tenant, item_row=item, building="<i>楼</i>")
    page = await (await centre.client("desk")).get(centre.url(f"/bills/{bill.id}"))
    assert "<img src=x" not in page.text and "&lt;img src=x onerror=alert(1)&gt;" in page.text
    assert "<i>楼</i>" not in page.text and "&lt;i&gt;楼&lt;/i&gt;" in page.text
