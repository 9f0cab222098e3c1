"""The second demo province, "tỉnh Bình Sơn", the other end of the exchange demo (EOFFICE_DEMO_PROVINCE=2).

A second installation started with ``EOFFICE_DEMO_PROVINCE=2 make run`` (own ``var/province2/``, own port
8001, see ``eoffice.launcher``) seeds these agencies and accounts instead of tỉnh An Hòa's, so that the two
installations exchange documents with each other through their exchange nodes. Only the core data is
seeded here (agencies, units, accounts, seals and signatures): the demo documents, meetings, dossiers and
complaints of the other apps belong to province 1 and are not loaded.

The data is fictional: tỉnh Bình Sơn does not exist, its agency codes use the unassigned province code
H98 (province 1 uses H99), and every person is invented.
"""

from __future__ import annotations

from dataclasses import replace

from eoffice.demo import ADMIN as AGENCY_ADMIN
from eoffice.demo import CLERK, HEAD, LEADER, OFFICER, ONESTOP, DemoAgency, DemoDepartment, DemoStaff

EMAIL_DOMAIN = "binhson.gov.vn"
PLACE_NAME = "Bình Sơn"
PROVINCE = f"tỉnh {PLACE_NAME}"

UBND = "000.00.00.H98"
SGDDT = "000.00.12.H98"
SYT = "000.00.15.H98"


def _departments(*specialised: DemoDepartment) -> tuple[DemoDepartment, ...]:
    return (
        DemoDepartment("VP", "Văn phòng"),
        DemoDepartment("MC", "Bộ phận một cửa", parent="VP"),
        *specialised,
        DemoDepartment("TTr", "Thanh tra Sở"),
    )


# Parents before children.
AGENCIES: list[DemoAgency] = [
    DemoAgency(
        code=UBND,
        name=f"Ủy ban nhân dân {PROVINCE}",
        abbreviation="UBND",
        parent=None,
        address=f"Số 2 đường Hùng Vương, phường Sơn Trà, {PROVINCE}",
        phone="0201 3861 000",
        email=f"ubnd@{EMAIL_DOMAIN}",
        seal_text=f"Ủy ban nhân dân {PROVINCE}",
        departments=(
            DemoDepartment("VP", "Văn phòng"),
            DemoDepartment("TH", "Phòng Tổng hợp", parent="VP"),
            DemoDepartment("HCTC", "Phòng Hành chính - Tổ chức", parent="VP"),
        ),
        place_name=PLACE_NAME,
    ),
    DemoAgency(
        code=SGDDT,
        name="Sở Giáo dục và Đào tạo",
        abbreviation="SGDĐT",
        parent=UBND,
        address=f"Số 15 đường Phan Chu Trinh, phường Sơn Trà, {PROVINCE}",
        phone="0201 3862 100",
        email=f"sgddt@{EMAIL_DOMAIN}",
        seal_text=f"Sở Giáo dục và Đào tạo {PROVINCE}",
        departments=_departments(
            DemoDepartment("GDTrH", "Phòng Giáo dục Trung học"),
            DemoDepartment("KHTC", "Phòng Kế hoạch - Tài chính"),
        ),
        place_name=PLACE_NAME,
    ),
    DemoAgency(
        code=SYT,
        name="Sở Y tế",
        abbreviation="SYT",
        parent=UBND,
        address=f"Số 40 đường Bạch Đằng, phường Hải Châu, {PROVINCE}",
        phone="0201 3863 200",
        email=f"syt@{EMAIL_DOMAIN}",
        seal_text=f"Sở Y tế {PROVINCE}",
        departments=_departments(
            DemoDepartment("NVY", "Phòng Nghiệp vụ Y"),
            DemoDepartment("KHTC", "Phòng Kế hoạch - Tài chính"),
        ),
        place_name=PLACE_NAME,
    ),
]

_STAFF: list[DemoStaff] = [
    # Ủy ban nhân dân tỉnh Bình Sơn
    DemoStaff("chutich.ubndbs", "Trương Công Định", "Chủ tịch", UBND, (LEADER,), phone="0201 3861 001"),
    DemoStaff("vanthu.ubndbs", "Nguyễn Thị Kim Liên", "Văn thư", UBND, (CLERK,), "HCTC", "0201 3861 011"),
    DemoStaff("chuyenvien.ubndbs", "Lê Hoàng Sơn", "Chuyên viên", UBND, (OFFICER,), "TH", "0201 3861 012"),
    DemoStaff(
        "quantri.ubndbs", "Phạm Minh Trí", "Chuyên viên công nghệ thông tin", UBND, (AGENCY_ADMIN,), "HCTC",
        "0201 3861 013", is_staff=True,
    ),
    # Sở Giáo dục và Đào tạo
    DemoStaff("giamdoc.sgddt", "Hà Văn Quý", "Giám đốc", SGDDT, (LEADER,), phone="0201 3862 101"),
    DemoStaff(
        "truongphong.sgddt", "Đoàn Thị Thanh Tâm", "Trưởng phòng Giáo dục Trung học", SGDDT, (HEAD,),
        "GDTrH", "0201 3862 110",
    ),
    DemoStaff("vanthu.sgddt", "Võ Thị Hạnh", "Văn thư", SGDDT, (CLERK,), "VP", "0201 3862 111"),
    DemoStaff(
        "chuyenvien.sgddt", "Nguyễn Đức Toàn", "Chuyên viên", SGDDT, (OFFICER,), "GDTrH", "0201 3862 112"
    ),
    DemoStaff(
        "motcua.sgddt", "Lê Thị Thu Thảo", "Cán bộ tiếp nhận và trả kết quả", SGDDT, (ONESTOP,), "MC",
        "0201 3862 113",
    ),
    DemoStaff(
        "quantri.sgddt", "Trần Văn Khoa", "Chuyên viên Văn phòng", SGDDT, (AGENCY_ADMIN,), "VP",
        "0201 3862 114", is_staff=True,
    ),
    # Sở Y tế
    DemoStaff("giamdoc.syt", "Phùng Thị Ngọc Bích", "Giám đốc", SYT, (LEADER,), phone="0201 3863 201"),
    DemoStaff(
        "truongphong.syt", "Lại Văn Cường", "Trưởng phòng Nghiệp vụ Y", SYT, (HEAD,), "NVY", "0201 3863 210"
    ),
    DemoStaff("vanthu.syt", "Hồ Thị Mỹ Duyên", "Văn thư", SYT, (CLERK,), "VP", "0201 3863 211"),
    DemoStaff("chuyenvien.syt", "Kha Minh Nhật", "Chuyên viên", SYT, (OFFICER,), "NVY", "0201 3863 212"),
    DemoStaff(
        "quantri.syt", "Mạc Văn Lực", "Chuyên viên Văn phòng", SYT, (AGENCY_ADMIN,), "VP", "0201 3863 213",
        is_staff=True,
    ),
]  # fmt: skip
STAFF: list[DemoStaff] = [replace(person, email_domain=EMAIL_DOMAIN) for person in _STAFF]

SUPERUSER = {
    "username": "admin",
    "full_name": "Quản trị hệ thống",
    "email": f"admin@{EMAIL_DOMAIN}",
    "role_label": "Quản trị toàn hệ thống",
}
