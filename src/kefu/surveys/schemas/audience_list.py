"""An uploaded audience list (XLSX or CSV of name / phone / email [/ building / reference]):
parsed with an error per row and field, then matched to registry customers by phone or external
reference. A list with any error is refused whole: nobody is invited from half a file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kefu import i18n
from kefu.core import phones
from kefu.core.labels import Labels
from kefu.core.progress import Progress
from kefu.core.uploads import UploadError, check_upload, read_table
from kefu.customers.queries import audience as customers
from kefu.surveys.policy.audience import EMAIL_RE, ListRow

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
HEADERS = {
    "name": ("name", "姓名", "客户姓名", "名称"),
    "phone": ("phone", "mobile", "手机", "手机号", "电话", "联系电话"),
    "email": ("email", "e-mail", "邮箱", "电子邮箱"),
    "building": ("building", "楼栋", "楼号", "楼宇"),
    "external_ref": ("reference", "external_ref", "policy", "保单号", "客户编号", "业主编号"),
}
LIMITS = {"name": 100, "phone": 30, "email": 254, "building": 100, "external_ref": 64}
COLUMN_LABELS = Labels({"name": i18n.lazy("Name"), "phone": i18n.lazy("Phone"), "email": i18n.lazy("Email"),
                        "building": i18n.lazy("Building"), "external_ref": i18n.lazy("Reference")})
MSG_NAME = i18n.lazy("Enter a name.")
MSG_CONTACT = i18n.lazy("Give a phone number or an email address.")
MSG_PHONE = i18n.lazy("Enter a valid phone number.")
MSG_EMAIL = i18n.lazy("Enter a valid email address.")
MSG_LONG = i18n.lazy("At most %(max)s characters.")


@dataclass(frozen=True)
class RowError:
    row: int  # the line of the file, 1 = the header
    field: str
    message: str  # translated

    def __str__(self) -> str:
        column = COLUMN_LABELS(self.field) if self.field in COLUMN_LABELS else self.field
        return i18n.gettext("Row %(row)s, %(column)s: %(problem)s", row=self.row, column=column,
                            problem=self.message)


# The file cannot be read at all (wrong type, no header, too big): kefu.core.uploads says why.
ListError = UploadError


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        title = title.strip().lower()
        for key, names in HEADERS.items():
            if title in names and key not in found:
                found[key] = index
    if "name" not in found or not ({"phone", "email"} & set(found)):
        raise ListError(i18n.lazy("The first row must name the columns: name, and phone or email."))
    return found


def _row(values: list[str], columns: dict[str, int], line: int) -> tuple[ListRow, list[RowError]]:
    cell = {k: (values[i].strip() if i < len(values) else "") for k, i in columns.items()}
    if cell.get("phone", "").endswith(".0"):  # a phone typed as a number in Excel
        cell["phone"] = cell["phone"][:-2]
    errors = []
    for key, limit in LIMITS.items():
        if len(cell.get(key, "")) > limit:
            errors.append(RowError(line, key, i18n.gettext(MSG_LONG, max=limit)))
    if not cell.get("name"):
        errors.append(RowError(line, "name", i18n.gettext(MSG_NAME)))
    phone, email = cell.get("phone", ""), cell.get("email", "")
    if not phone and not email:
        errors.append(RowError(line, "phone", i18n.gettext(MSG_CONTACT)))
    if phone and not 7 <= len(phones.key(phone)) <= 15:
        errors.append(RowError(line, "phone", i18n.gettext(MSG_PHONE)))
    if email and not EMAIL_RE.match(email):
        errors.append(RowError(line, "email", i18n.gettext(MSG_EMAIL)))
    row = ListRow(name=cell.get("name", ""), phone=phone, email=email.lower(),
                  building=cell.get("building", ""), external_ref=cell.get("external_ref", ""))
    return row, errors


def check_file(filename: str, content: bytes) -> None:
    """What the request can tell at once, before a job reads the file: its size and type.
    Raises ListError."""
    check_upload(filename, content, max_bytes=MAX_BYTES)


def parse_list(filename: str, content: bytes, progress: Progress | None = None,
               ) -> tuple[list[ListRow], list[RowError]]:
    """The people of the file and every problem, by row and field. Raises ListError when the
    file itself cannot be read, or passes the shared reader's limits (kefu.core.uploads: size
    unpacked, rows with the empty ones, columns, time). CPU work: call it in a thread (a job's).
    `progress` counts the lines read, then the rows checked."""
    progress = progress or Progress()
    lines = read_table(filename, content, max_bytes=MAX_BYTES, max_rows=MAX_ROWS, progress=progress)
    table = [r for r in lines if any(v.strip() for v in r)]
    if not table:
        raise ListError(i18n.lazy("The first row must name the columns: name, and phone or email."))
    columns = _columns(table[0])
    if len(table) - 1 > MAX_ROWS:
        raise ListError(i18n.lazy("The list has more than %(max)s rows."), max=MAX_ROWS)
    rows, errors = [], []
    progress.total, progress.done = len(table) - 1, 0
    for line, values in enumerate(table[1:], start=2):
        row, problems = _row(values, columns, line)
        rows.append(row)
        errors += problems
        progress.done = line - 1
    if not rows:
        raise ListError(i18n.lazy("Upload a list with at least one person."))
    return rows, errors


async def match_customers(tenant_id: int, rows: list[ListRow]) -> list[ListRow]:
    """Each row with the id of the registry customer of the same external reference or phone."""
    refs = sorted({r.external_ref for r in rows if r.external_ref})
    wanted = {phones.key(r.phone) for r in rows if r.phone} - {""}
    by_ref = await customers.ids_by_reference(tenant_id, refs)
    by_phone = await customers.ids_by_phone(tenant_id, wanted)
    return [
        replace(r, customer_id=by_ref.get(r.external_ref) or by_phone.get(phones.key(r.phone)))
        for r in rows
    ]
