"""New policies to call back (A art. 24(1)), read from an uploaded XLSX/CSV (kefu.core.uploads)
or a JSON body: policy number, product, policyholder's name and phone, the day the contract was
received. A file with any bad row is refused whole, naming its first bad rows."""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec

from kefu import i18n
from kefu.callbacks.policy.pack import CallbackPack
from kefu.callbacks.policy.policies import NewPolicy, check_policy
from kefu.core.errors import FieldError, FieldErrors
from kefu.core.labels import Labels
from kefu.core.progress import Progress
from kefu.core.uploads import Headers, UploadError, check_upload, read_rows, read_table

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
# A file at most this big is read in the request (in a thread); a larger one by a job.
INLINE_BYTES = 64 * 1024
MAX_API = 500  # policies one API call may send
TWICE = i18n.lazy("The same policy number is given twice.")
FIELDS = ("policy_no", "product", "holder_name", "holder_phone", "received_on")

FIELD_LABELS = {"policy_no": i18n.lazy("Policy number"), "product": i18n.lazy("Product"),
                "holder_name": i18n.lazy("Policyholder"), "holder_phone": i18n.lazy("Policyholder's phone"),
                "received_on": i18n.lazy("Contract received on")}
COLUMN = Labels(FIELD_LABELS)
HEADERS = Headers({
    "保单号": "policy_no", "保单号码": "policy_no", "policyno": "policy_no", "policy": "policy_no",
    "产品": "product", "产品类型": "product", "险种": "product", "product": "product",
    "投保人": "holder_name", "投保人姓名": "holder_name", "姓名": "holder_name", "name": "holder_name",
    "电话": "holder_phone", "手机": "holder_phone", "手机号": "holder_phone", "投保人电话": "holder_phone",
    "phone": "holder_phone",
    "回执签收日期": "received_on", "签收日期": "received_on", "合同签收日期": "received_on", "receivedon": "received_on",
    "received": "received_on",
}, FIELD_LABELS)


class PolicyIn(msgspec.Struct, forbid_unknown_fields=True):
    policy_no: str
    product: str
    holder_name: str
    holder_phone: str
    received_on: str  # YYYY-MM-DD


class PoliciesIn(msgspec.Struct, forbid_unknown_fields=True):
    policies: list[PolicyIn]


def check_size(filename: str, content: bytes) -> None:
    """What can be told at once of a file a job will read: FieldError("file") for its size or type."""
    try:
        check_upload(filename, content, max_bytes=MAX_BYTES)
    except UploadError as exc:
        raise FieldError("file", exc.message, **exc.variables) from None


def parse_file(filename: str, content: bytes, pack: CallbackPack, today: date,
               progress: Progress | None = None) -> list[NewPolicy]:
    """Every row checked. CPU-bound: run it in a thread. Raises FieldError("file") for a file
    that cannot be used or has a bad row (the first three named), the same policy twice."""
    try:
        parsed = read_rows(read_table(filename, content, max_bytes=MAX_BYTES, max_rows=MAX_ROWS, progress=progress),
                           HEADERS, required=FIELDS,
                           missing=i18n.lazy("The file needs the columns: policy number, product, policyholder, "
                                             "phone, contract received on."),
                           no_rows=i18n.lazy("The file has no policies."))
    except UploadError as exc:
        raise FieldError("file", exc.message, **exc.variables) from None
    policies, problems, seen = [], [], set()
    for row in parsed.rows:
        policy, errors = check_policy(pack, row["values"], today)
        if policy is not None and policy.policy_no in seen:
            errors = {"policy_no": TWICE}
        if errors:
            name, message = next(iter(errors.items()))
            problems.append(i18n.gettext("Row %(row)s, %(column)s: %(problem)s", row=row["row"],
                                         column=COLUMN(name), problem=i18n.gettext(message)))
            if len(problems) == 3:
                break
            continue
        assert policy is not None
        seen.add(policy.policy_no)
        policies.append(policy)
    if problems:
        raise FieldError("file", "Nothing was imported: %(problems)s", problems="; ".join(problems))
    return policies


def api_policies(data: PoliciesIn, pack: CallbackPack, today: date) -> list[NewPolicy]:
    """The body's policies checked; FieldError naming `policies[i].field` for the first bad one."""
    if not data.policies or len(data.policies) > MAX_API:
        raise FieldError("policies", "Send between 1 and %(max)s policies.", max=MAX_API)
    found, seen = [], set()
    for i, item in enumerate(data.policies):
        policy, errors = check_policy(pack, msgspec.to_builtins(item), today)
        if policy is not None and policy.policy_no in seen:
            errors = {"policy_no": TWICE}
        if errors:
            name, message = next(iter(errors.items()))
            where = f"policies[{i}].{name}"
            raise FieldError(where, message)
        assert policy is not None
        seen.add(policy.policy_no)
        found.append(policy)
    return found


def form_policy(values: dict[str, Any], pack: CallbackPack, today: date) -> NewPolicy:
    """One policy entered on the page; FieldError for every bad field."""
    policy, errors = check_policy(pack, values, today)
    if errors:
        raise FieldErrors({name: FieldError(name, message) for name, message in errors.items()})
    assert policy is not None
    return policy
