# ruff: noqa: E501 - vocabulary: long Vietnamese phrases, one per line
"""Vocabulary of the benchmark province (fictional "tỉnh An Hòa", agency codes H99): agency names,
units, people's names, issuers and the phrases summaries and full texts are composed from.

Plain data, no Django: ``bench/province.py`` composes it deterministically (``--seed``).
"""

from __future__ import annotations

PROVINCE = "tỉnh An Hòa"
PLACE = "An Hòa"
EMAIL_DOMAIN = "anhoa.gov.vn"

# (name, abbreviation, weight of incoming documents, staff, specialised units (abbr, name))
SO = [
    (
        "Sở Kế hoạch và Đầu tư",
        "SKHĐT",
        24,
        470,
        [
            ("TH", "Phòng Tổng hợp, quy hoạch"),
            ("ĐKKD", "Phòng Đăng ký kinh doanh"),
            ("KTN", "Phòng Kinh tế ngành"),
            ("ĐTTĐ", "Phòng Đấu thầu, thẩm định và giám sát đầu tư"),
            ("KTĐN", "Phòng Kinh tế đối ngoại"),
            ("KGVX", "Phòng Khoa giáo - Văn xã"),
        ],
    ),
    (
        "Sở Nội vụ",
        "SNV",
        14,
        210,
        [
            ("TCBC", "Phòng Tổ chức, biên chế"),
            ("CCVC", "Phòng Công chức, viên chức"),
            ("CQĐP", "Phòng Xây dựng chính quyền"),
            ("CCHC", "Phòng Cải cách hành chính"),
            ("TĐKT", "Ban Thi đua - Khen thưởng"),
        ],
    ),
    (
        "Sở Tư pháp",
        "STP",
        9,
        150,
        [
            ("XDKTVB", "Phòng Xây dựng và kiểm tra văn bản"),
            ("HCTP", "Phòng Hành chính tư pháp"),
            ("BTTP", "Phòng Bổ trợ tư pháp"),
            ("PBGDPL", "Phòng Phổ biến, giáo dục pháp luật"),
        ],
    ),
    (
        "Sở Tài chính",
        "STC",
        20,
        320,
        [
            ("QLNS", "Phòng Quản lý ngân sách"),
            ("TCĐT", "Phòng Tài chính đầu tư"),
            ("QLGCS", "Phòng Quản lý giá và công sản"),
            ("TCHCSN", "Phòng Tài chính hành chính sự nghiệp"),
            ("TCDN", "Phòng Tài chính doanh nghiệp"),
        ],
    ),
    (
        "Sở Công Thương",
        "SCT",
        12,
        190,
        [
            ("QLTM", "Phòng Quản lý thương mại"),
            ("QLCN", "Phòng Quản lý công nghiệp"),
            ("QLNL", "Phòng Quản lý năng lượng"),
            ("KTAT", "Phòng Kỹ thuật an toàn - Môi trường"),
        ],
    ),
    (
        "Sở Nông nghiệp và Phát triển nông thôn",
        "SNNPTNT",
        15,
        300,
        [
            ("KHTC", "Phòng Kế hoạch - Tài chính"),
            ("QLXDCT", "Phòng Quản lý xây dựng công trình"),
            ("NTM", "Phòng Xây dựng nông thôn mới"),
            ("TCCB", "Phòng Tổ chức cán bộ"),
        ],
    ),
    (
        "Sở Giao thông vận tải",
        "SGTVT",
        12,
        220,
        [
            ("QLKCHTGT", "Phòng Quản lý kết cấu hạ tầng giao thông"),
            ("QLVT", "Phòng Quản lý vận tải, phương tiện và người lái"),
            ("QLCL", "Phòng Quản lý chất lượng công trình giao thông"),
            ("KHTC", "Phòng Kế hoạch - Tài chính"),
        ],
    ),
    (
        "Sở Xây dựng",
        "SXD",
        12,
        200,
        [
            ("QLN", "Phòng Quản lý nhà và thị trường bất động sản"),
            ("QHKT", "Phòng Quy hoạch - Kiến trúc"),
            ("HTKT", "Phòng Hạ tầng kỹ thuật"),
            ("KTVLXD", "Phòng Kinh tế và Vật liệu xây dựng"),
        ],
    ),
    (
        "Sở Tài nguyên và Môi trường",
        "STNMT",
        16,
        260,
        [
            ("QLĐĐ", "Phòng Quản lý đất đai"),
            ("MT", "Phòng Môi trường"),
            ("TNN", "Phòng Tài nguyên nước, khoáng sản"),
            ("ĐĐBĐ", "Phòng Đo đạc, bản đồ và viễn thám"),
        ],
    ),
    (
        "Sở Thông tin và Truyền thông",
        "STTTT",
        9,
        140,
        [
            ("CNTT", "Phòng Công nghệ thông tin"),
            ("BCVT", "Phòng Bưu chính, Viễn thông"),
            ("TTBCXB", "Phòng Thông tin - Báo chí - Xuất bản"),
        ],
    ),
    (
        "Sở Lao động - Thương binh và Xã hội",
        "SLĐTBXH",
        12,
        220,
        [
            ("LĐVL", "Phòng Lao động - Việc làm"),
            ("NCC", "Phòng Người có công"),
            ("BTXH", "Phòng Bảo trợ xã hội"),
            ("GDNN", "Phòng Giáo dục nghề nghiệp"),
        ],
    ),
    (
        "Sở Văn hóa, Thể thao và Du lịch",
        "SVHTTDL",
        9,
        180,
        [
            ("QLVH", "Phòng Quản lý văn hóa"),
            ("QLTDTT", "Phòng Quản lý thể dục thể thao"),
            ("QLDL", "Phòng Quản lý du lịch"),
            ("XDNSVHGĐ", "Phòng Xây dựng nếp sống văn hóa và Gia đình"),
        ],
    ),
    (
        "Sở Khoa học và Công nghệ",
        "SKHCN",
        6,
        110,
        [
            ("QLKH", "Phòng Quản lý khoa học"),
            ("QLCN", "Phòng Quản lý công nghệ và Thị trường công nghệ"),
            ("SHTT", "Phòng Sở hữu trí tuệ"),
        ],
    ),
    (
        "Sở Giáo dục và Đào tạo",
        "SGDĐT",
        14,
        240,
        [
            ("GDMNTH", "Phòng Giáo dục mầm non - Tiểu học"),
            ("GDTrH", "Phòng Giáo dục trung học"),
            ("KTKĐ", "Phòng Khảo thí và Kiểm định chất lượng giáo dục"),
            ("TCCB", "Phòng Tổ chức cán bộ"),
            ("KHTC", "Phòng Kế hoạch - Tài chính"),
        ],
    ),
    (
        "Sở Y tế",
        "SYT",
        14,
        250,
        [
            ("NVY", "Phòng Nghiệp vụ Y"),
            ("NVD", "Phòng Nghiệp vụ Dược"),
            ("KHTC", "Phòng Kế hoạch - Tài chính"),
            ("TCCB", "Phòng Tổ chức cán bộ"),
        ],
    ),
    (
        "Thanh tra tỉnh",
        "TTr",
        8,
        120,
        [
            ("NV1", "Phòng Nghiệp vụ 1"),
            ("NV2", "Phòng Nghiệp vụ 2"),
            ("NV3", "Phòng Nghiệp vụ 3"),
            ("PCTN", "Phòng Phòng, chống tham nhũng"),
        ],
    ),
    (
        "Ban Dân tộc",
        "BDT",
        5,
        70,
        [("CSDT", "Phòng Chính sách dân tộc"), ("KHTH", "Phòng Kế hoạch - Tổng hợp")],
    ),
    ("Sở Ngoại vụ", "SNgV", 5, 70, [("LS", "Phòng Lãnh sự"), ("HTQT", "Phòng Hợp tác quốc tế")]),
    (
        "Ban Quản lý các khu công nghiệp",
        "BQLKCN",
        7,
        110,
        [
            ("QLĐT", "Phòng Quản lý đầu tư"),
            ("QLMT", "Phòng Quản lý môi trường"),
            ("QLLĐ", "Phòng Quản lý lao động"),
        ],
    ),
    (
        "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh",
        "VPĐĐBQH",
        7,
        90,
        [
            ("CTQH", "Phòng Công tác Quốc hội"),
            ("CTHĐND", "Phòng Công tác Hội đồng nhân dân"),
            ("DNTD", "Phòng Dân nguyện"),
        ],
    ),
    (
        "Đài Phát thanh và Truyền hình",
        "PTTH",
        4,
        130,
        [("TS", "Phòng Thời sự"), ("CTTT", "Phòng Chuyên đề"), ("KT", "Phòng Kỹ thuật - Công nghệ")],
    ),
]

UBND_UNITS = [
    ("VP", "Văn phòng"), ("TH", "Phòng Tổng hợp"), ("KT", "Phòng Kinh tế"),
    ("KGVX", "Phòng Khoa giáo - Văn xã"), ("NC", "Phòng Nội chính"), ("HCTC", "Phòng Hành chính - Tổ chức"),
    ("QTTV", "Phòng Quản trị - Tài vụ"), ("BTCD", "Ban Tiếp công dân"), ("KSTT", "Phòng Kiểm soát thủ tục hành chính"),
    ("CB", "Trung tâm Thông tin - Công báo"),
]  # fmt: skip

HUYEN = [
    ("Thành phố An Hòa", "thành phố"), ("Thị xã Tân Phú", "thị xã"), ("Huyện Hòa Bình", "huyện"),
    ("Huyện Phước Long", "huyện"), ("Huyện Đông Sơn", "huyện"), ("Huyện Tây Hòa", "huyện"),
    ("Huyện Bình Minh", "huyện"), ("Huyện Long Điền", "huyện"), ("Huyện Vĩnh Thạnh", "huyện"),
    ("Huyện Mỹ Lộc", "huyện"),
]  # fmt: skip

HUYEN_UNITS = [
    ("VP", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân"), ("NV", "Phòng Nội vụ"),
    ("TCKH", "Phòng Tài chính - Kế hoạch"), ("TP", "Phòng Tư pháp"), ("TNMT", "Phòng Tài nguyên và Môi trường"),
    ("KT", "Phòng Kinh tế"), ("QLĐT", "Phòng Quản lý đô thị"), ("GDĐT", "Phòng Giáo dục và Đào tạo"),
    ("VHTT", "Phòng Văn hóa và Thông tin"), ("LĐTBXH", "Phòng Lao động - Thương binh và Xã hội"),
    ("YT", "Phòng Y tế"), ("TTr", "Thanh tra huyện"),
]  # fmt: skip

XA_NAMES = [
    "An Bình", "An Phú", "An Thạnh", "Bình An", "Bình Hòa", "Bình Thạnh", "Cẩm Hà", "Cẩm Sơn", "Đông Hải",
    "Đông Hòa", "Đông Thạnh", "Hòa An", "Hòa Khánh", "Hòa Lợi", "Hòa Phong", "Hòa Thành", "Hưng Long",
    "Hưng Phú", "Khánh Hòa", "Long An", "Long Bình", "Long Hải", "Long Mỹ", "Long Phước", "Long Thạnh",
    "Mỹ An", "Mỹ Hòa", "Mỹ Lợi", "Mỹ Phước", "Mỹ Thạnh", "Nhơn Hòa", "Nhơn Phú", "Phú An", "Phú Hòa",
    "Phú Lộc", "Phú Mỹ", "Phú Thạnh", "Phước An", "Phước Hòa", "Phước Lợi", "Phước Thạnh", "Quảng Phú",
    "Tân An", "Tân Bình", "Tân Hòa", "Tân Hội", "Tân Lập", "Tân Lợi", "Tân Phước", "Tân Thành", "Tân Tiến",
    "Thạnh Phú", "Thạnh Lợi", "Thuận An", "Thuận Hòa", "Tiên Phong", "Trung Hòa", "Trung Lập", "Trường Xuân",
    "Vĩnh An", "Vĩnh Hòa", "Vĩnh Lợi", "Vĩnh Phú", "Vĩnh Tân", "Xuân Hòa", "Xuân Lộc", "Xuân Phú",
    "Xuân Thạnh", "Hiệp Hòa", "Hiệp Thạnh", "Lộc An", "Lộc Hưng", "Lộc Thạnh", "Minh Hòa", "Minh Tân",
    "Nghĩa An", "Nghĩa Hòa", "Ninh Hòa", "Ninh Phú", "Quang Trung", "Sơn Hà", "Sơn Thành", "Tam An",
    "Tam Hòa", "Thái Hòa", "Thới An", "Thới Bình", "Thanh Bình", "Thanh Hải", "Thanh Sơn", "Thống Nhất",
]  # fmt: skip

XA_UNITS = [
    ("VP", "Văn phòng - Thống kê"), ("ĐCXD", "Địa chính - Xây dựng - Nông nghiệp"), ("TCKT", "Tài chính - Kế toán"),
    ("TPHT", "Tư pháp - Hộ tịch"), ("VHXH", "Văn hóa - Xã hội"),
]  # fmt: skip

# Units under a Sở (parent abbreviation, name, abbreviation)
UNITS_UNDER_SO = [
    ("SNNPTNT", "Chi cục Kiểm lâm", "CCKL"), ("SNNPTNT", "Chi cục Thủy lợi", "CCTL"),
    ("SNNPTNT", "Chi cục Chăn nuôi và Thú y", "CCCNTY"), ("SNNPTNT", "Chi cục Trồng trọt và Bảo vệ thực vật", "CCTTBVTV"),
    ("SNNPTNT", "Chi cục Phát triển nông thôn", "CCPTNT"), ("SNNPTNT", "Trung tâm Khuyến nông", "TTKN"),
    ("SNV", "Chi cục Văn thư - Lưu trữ", "CCVTLT"), ("SNV", "Ban Tôn giáo", "BTG"),
    ("SKHCN", "Chi cục Tiêu chuẩn Đo lường Chất lượng", "CCTĐC"), ("STNMT", "Chi cục Bảo vệ môi trường", "CCBVMT"),
    ("STNMT", "Trung tâm Phát triển quỹ đất", "TTPTQĐ"), ("STNMT", "Văn phòng Đăng ký đất đai", "VPĐKĐĐ"),
    ("STNMT", "Trung tâm Quan trắc tài nguyên và môi trường", "TTQT"),
    ("STTTT", "Trung tâm Công nghệ thông tin và Truyền thông", "TTCNTT"),
    ("SKHĐT", "Trung tâm Xúc tiến đầu tư, thương mại và du lịch", "TTXTĐT"),
    ("SYT", "Trung tâm Kiểm soát bệnh tật", "CDC"), ("SYT", "Bệnh viện Đa khoa tỉnh", "BVĐK"),
    ("SYT", "Bệnh viện Y dược cổ truyền", "BVYDCT"), ("SYT", "Chi cục An toàn vệ sinh thực phẩm", "CCATVSTP"),
    ("SYT", "Chi cục Dân số - Kế hoạch hóa gia đình", "CCDS"), ("SLĐTBXH", "Trung tâm Dịch vụ việc làm", "TTDVVL"),
    ("SLĐTBXH", "Trung tâm Bảo trợ xã hội", "TTBTXH"), ("STP", "Trung tâm Trợ giúp pháp lý nhà nước", "TTTGPL"),
    ("STP", "Trung tâm Dịch vụ đấu giá tài sản", "TTĐG"), ("SVHTTDL", "Thư viện tỉnh", "TV"),
    ("SVHTTDL", "Bảo tàng tỉnh", "BT"), ("SVHTTDL", "Trung tâm Văn hóa - Điện ảnh", "TTVH"),
    ("SVHTTDL", "Trung tâm Huấn luyện và Thi đấu thể dục thể thao", "TTHLTĐ"),
    ("SGTVT", "Ban Quản lý dự án đầu tư xây dựng công trình giao thông", "BQLDAGT"),
    ("SXD", "Ban Quản lý dự án đầu tư xây dựng công trình dân dụng và công nghiệp", "BQLDADD"),
    ("SXD", "Trung tâm Kiểm định chất lượng xây dựng", "TTKĐ"), ("SCT", "Trung tâm Khuyến công", "TTKC"),
    ("SGDĐT", "Trường Cao đẳng Sư phạm", "CĐSP"), ("SLĐTBXH", "Trường Cao đẳng nghề", "CĐN"),
    ("SNV", "Trung tâm Phục vụ hành chính công", "TTPVHCC"), ("SKHCN", "Trung tâm Ứng dụng tiến bộ khoa học", "TTUD"),
]  # fmt: skip

SCHOOL_NAMES = [
    "Chuyên An Hòa", "Lê Quý Đôn", "Nguyễn Trãi", "Trần Hưng Đạo", "Lê Lợi", "Quang Trung", "Nguyễn Du",
    "Nguyễn Huệ", "Phan Bội Châu", "Phan Chu Trinh", "Huỳnh Thúc Kháng", "Lương Thế Vinh", "Chu Văn An",
    "Nguyễn Bỉnh Khiêm", "Lê Hồng Phong", "Võ Thị Sáu", "Trần Phú", "Ngô Quyền", "Hùng Vương", "Nguyễn Công Trứ",
    "Nguyễn Đình Chiểu", "Tôn Đức Thắng", "Nguyễn Thị Minh Khai", "Trần Quốc Tuấn", "Lý Thường Kiệt",
    "Nguyễn Văn Cừ", "Hoàng Văn Thụ", "Bùi Thị Xuân", "Mạc Đĩnh Chi", "Đinh Tiên Hoàng", "Trưng Vương",
    "Phạm Văn Đồng", "Hai Bà Trưng", "Nguyễn Khuyến", "Tây Sơn", "Yersin",
]  # fmt: skip

SCHOOL_UNITS = [
    ("VP", "Văn phòng"),
    ("TCM1", "Tổ Toán - Tin"),
    ("TCM2", "Tổ Ngữ văn"),
    ("TCM3", "Tổ Khoa học tự nhiên"),
]
CENTRE_UNITS = [("HCTH", "Phòng Hành chính - Tổng hợp"), ("NV", "Phòng Nghiệp vụ"), ("KHTC", "Phòng Kế hoạch - Tài chính"),
                ("DV", "Phòng Dịch vụ")]  # fmt: skip

# Central and other issuers (name, abbreviation used in symbols)
CENTRAL_ISSUERS = [
    ("Văn phòng Chính phủ", "VPCP"), ("Thủ tướng Chính phủ", "TTg"), ("Bộ Kế hoạch và Đầu tư", "BKHĐT"),
    ("Bộ Tài chính", "BTC"), ("Bộ Nội vụ", "BNV"), ("Bộ Tư pháp", "BTP"), ("Bộ Thông tin và Truyền thông", "BTTTT"),
    ("Bộ Y tế", "BYT"), ("Bộ Giáo dục và Đào tạo", "BGDĐT"), ("Bộ Xây dựng", "BXD"),
    ("Bộ Tài nguyên và Môi trường", "BTNMT"), ("Bộ Nông nghiệp và Phát triển nông thôn", "BNNPTNT"),
    ("Bộ Công Thương", "BCT"), ("Bộ Giao thông vận tải", "BGTVT"), ("Bộ Lao động - Thương binh và Xã hội", "BLĐTBXH"),
    ("Bộ Văn hóa, Thể thao và Du lịch", "BVHTTDL"), ("Bộ Khoa học và Công nghệ", "BKHCN"), ("Bộ Công an", "BCA"),
    ("Thanh tra Chính phủ", "TTCP"), ("Tỉnh ủy An Hòa", "TU"), ("Hội đồng nhân dân tỉnh An Hòa", "HĐND"),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh An Hòa", "MTTQ"), ("Cục Thống kê tỉnh An Hòa", "CTK"),
    ("Kho bạc Nhà nước An Hòa", "KBNN"), ("Cục Thuế tỉnh An Hòa", "CT"), ("Bảo hiểm xã hội tỉnh An Hòa", "BHXH"),
    ("Ngân hàng Nhà nước chi nhánh tỉnh An Hòa", "AHO"), ("Công an tỉnh An Hòa", "CAT"),
    ("Bộ Chỉ huy Quân sự tỉnh An Hòa", "BCHQS"), ("Công ty Cổ phần Đầu tư Minh Phát", "MP"),
    ("Công ty TNHH Xây dựng Hòa Phát An Hòa", "HPAH"), ("Tòa án nhân dân tỉnh An Hòa", "TA"),
]  # fmt: skip

ISSUER_UNITS = ["VP", "TH", "KT", "KGVX", "NC", "TCCB", "KHTC", "QLNS", "ĐT", "PC", "HTQT", "KSTT", "CNTT"]

HO = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trương",
    "Lương",
    "Mai",
    "Tạ",
    "Cao",
    "Châu",
    "Quách",
    "Tô",
    "Lâm",
    "Đoàn",
    "Kiều",
]
DEM_NAM = [
    "Văn",
    "Minh",
    "Quốc",
    "Đức",
    "Hữu",
    "Thanh",
    "Ngọc",
    "Công",
    "Xuân",
    "Hoàng",
    "Trọng",
    "Anh",
    "Tuấn",
    "Bảo",
    "Duy",
    "Quang",
    "Tấn",
    "Thành",
    "Việt",
    "Gia",
]
DEM_NU = [
    "Thị",
    "Thị Thu",
    "Thị Minh",
    "Ngọc",
    "Thanh",
    "Thu",
    "Thị Hồng",
    "Thị Kim",
    "Bích",
    "Hoài",
    "Thị Lan",
    "Thị Ngọc",
    "Mỹ",
    "Diệu",
    "Phương",
]
TEN_NAM = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Đức",
    "Hải",
    "Hùng",
    "Huy",
    "Khánh",
    "Khoa",
    "Long",
    "Lộc",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quang",
    "Quân",
    "Sơn",
    "Tài",
    "Tâm",
    "Thắng",
    "Thành",
    "Thịnh",
    "Toàn",
    "Trung",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
    "Hiếu",
    "Hoàng",
    "Kiên",
    "Lâm",
    "Hòa",
]
TEN_NU = ["Anh", "Ánh", "Chi", "Diệp", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Hương",
          "Huyền", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương",
          "Quyên", "Tâm", "Thảo", "Thủy", "Trang", "Trinh", "Tuyết", "Uyên", "Vân", "Yến", "Xuân"]  # fmt: skip

# --- summaries ------------------------------------------------------------------------------------------

TOPICS = [
    "kế hoạch đầu tư công", "giải ngân vốn đầu tư công", "kế hoạch đầu tư công trung hạn giai đoạn 2026-2030",
    "chuyển đổi số", "cải cách hành chính", "phòng, chống thiên tai và tìm kiếm cứu nạn",
    "xây dựng nông thôn mới", "bảo vệ môi trường", "quản lý đất đai", "bảo đảm trật tự an toàn giao thông",
    "phòng, chống dịch bệnh", "thu ngân sách nhà nước", "dự toán ngân sách nhà nước",
    "giải quyết thủ tục hành chính lĩnh vực đăng ký kinh doanh", "phát triển du lịch", "an toàn thực phẩm",
    "cấp giấy chứng nhận quyền sử dụng đất", "công tác thi đua, khen thưởng", "công tác tổ chức cán bộ",
    "phòng cháy, chữa cháy", "quy hoạch sử dụng đất", "tuyển sinh các lớp đầu cấp", "giảm nghèo bền vững",
    "chương trình mục tiêu quốc gia", "tiếp công dân, giải quyết khiếu nại, tố cáo", "phòng, chống tham nhũng",
    "thực hành tiết kiệm, chống lãng phí", "xúc tiến đầu tư", "hỗ trợ doanh nghiệp nhỏ và vừa",
    "bồi thường, hỗ trợ, tái định cư", "quản lý chất lượng công trình xây dựng", "an toàn thông tin mạng",
    "chi trả chế độ chính sách người có công", "bảo hiểm xã hội, bảo hiểm y tế", "phổ biến, giáo dục pháp luật",
    "quản lý tài sản công", "sắp xếp đơn vị hành chính cấp xã", "đào tạo, bồi dưỡng cán bộ, công chức",
    "dịch vụ công trực tuyến", "phát triển kinh tế tư nhân", "kiểm soát thủ tục hành chính",
    "tổ chức Đại hội thể dục thể thao", "phòng, chống ma túy", "văn thư, lưu trữ", "quản lý khoáng sản",
]  # fmt: skip

ACTIONS = [
    "triển khai", "báo cáo tình hình thực hiện", "đôn đốc thực hiện", "hướng dẫn thực hiện", "góp ý dự thảo kế hoạch",
    "đề nghị thẩm định", "rà soát, tổng hợp", "đề nghị phê duyệt", "điều chỉnh", "kiểm tra việc thực hiện",
    "tăng cường công tác", "tổ chức sơ kết", "tổng kết", "cung cấp số liệu về", "đánh giá kết quả thực hiện",
    "xin ý kiến về", "phối hợp thực hiện", "chấn chỉnh công tác", "báo cáo kết quả",
]  # fmt: skip

SCOPES = [
    "trên địa bàn tỉnh", "năm {year}", "6 tháng đầu năm {year}", "quý {quarter} năm {year}", "giai đoạn 2021-2025",
    "tại các huyện, thị xã, thành phố", "của các sở, ban, ngành", "tháng {month} năm {year}", "năm {year} và kế hoạch năm {next}",
]  # fmt: skip

TYPE_OPENINGS = {
    "Công văn": "V/v",
    "Quyết định": "Về việc",
    "Chỉ thị": "Về việc",
    "Nghị quyết": "Về",
    "Kế hoạch": "",
    "Thông báo": "Kết luận về",
    "Báo cáo": "Kết quả",
    "Giấy mời": "Dự hội nghị về",
    "Tờ trình": "Đề nghị phê duyệt",
    "Hướng dẫn": "Thực hiện",
}

# doc type name -> weight (incoming / outgoing), the rest of NĐ 30's types get the remainder
TYPE_WEIGHTS = {
    "Công văn": 55, "Quyết định": 10, "Giấy mời": 7, "Kế hoạch": 6, "Thông báo": 6, "Báo cáo": 6,
    "Tờ trình": 2.5, "Hướng dẫn": 2, "Chỉ thị": 1, "Nghị quyết": 1, "Công điện": 0.5, "Chương trình": 0.5,
    "Phương án": 0.5, "Đề án": 0.3, "Biên bản": 0.5, "Giấy giới thiệu": 0.3, "Quy chế": 0.2, "Quy định": 0.2,
}  # fmt: skip

NOTES = [
    "Bản chính gửi qua đường bưu điện", "Văn bản gửi kèm phụ lục", "Đã nhận bản điện tử qua trục liên thông",
    "Hồ sơ kèm theo gồm 02 bộ", "Văn bản thay thế văn bản đã gửi trước", "Gửi kèm dự thảo để góp ý",
]  # fmt: skip

INSTRUCTIONS = [
    "Giao {unit} chủ trì, tham mưu, báo cáo kết quả trước hạn.",
    "Giao {unit} nghiên cứu, đề xuất phương án xử lý.",
    "{unit} chủ trì, phối hợp các đơn vị liên quan tham mưu văn bản trả lời.",
    "Giao {unit} theo dõi, tổng hợp, báo cáo lãnh đạo.",
    "Chuyển {unit} xử lý theo quy định.",
    "{unit} tham mưu triển khai thực hiện, báo cáo trước hạn.",
]  # fmt: skip

FORWARD_NOTES = [
    "Đồng chí {name} nghiên cứu, tham mưu xử lý.",
    "Giao đồng chí {name} xử lý, báo cáo trước hạn.",
    "Đồng chí {name} chủ trì tham mưu văn bản trả lời.",
    "Chuyển đồng chí {name} theo dõi, xử lý.",
]  # fmt: skip

PROGRESS_NOTES = [
    "Đã nghiên cứu, đang tổng hợp số liệu.", "Đang dự thảo văn bản trả lời.", "Đã xin ý kiến các phòng liên quan.",
    "Đang chờ số liệu của các đơn vị.", "Đã trình lãnh đạo phòng xem xét dự thảo.",
]  # fmt: skip

FINISH_NOTES = [
    "Đã tham mưu văn bản trả lời.", "Đã hoàn thành, lưu hồ sơ.", "Đã báo cáo lãnh đạo, kết thúc xử lý.",
    "Đã tổng hợp, gửi báo cáo theo yêu cầu.", "Văn bản để biết, đã triển khai trong đơn vị.",
]  # fmt: skip

RETURN_REASONS = [
    "Văn bản gửi nhầm cơ quan, đề nghị gửi đúng cơ quan có thẩm quyền.",
    "Văn bản thiếu chữ ký, đề nghị bổ sung.", "Văn bản điện tử không đúng định dạng, đề nghị gửi lại.",
]  # fmt: skip

# --- full text ---------------------------------------------------------------------------------------------

TEXT_SENTENCES = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015.",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư.",
    "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh tại văn bản số {n}/UBND-{u} ngày {d}.",
    "Thực hiện Kế hoạch số {n}/KH-UBND ngày {d} của Ủy ban nhân dân tỉnh về {topic}.",
    "Để kịp thời tổng hợp, báo cáo cấp có thẩm quyền, đề nghị các cơ quan, đơn vị triển khai thực hiện một số nội dung sau.",
    "Đề nghị Quý cơ quan rà soát, tổng hợp và gửi kết quả bằng văn bản trước ngày {d} để tổng hợp chung.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị phản ánh kịp thời để được hướng dẫn, giải quyết.",
    "Các cơ quan, đơn vị chịu trách nhiệm trước Ủy ban nhân dân tỉnh về tính chính xác của số liệu báo cáo.",
    "Tổ chức quán triệt, triển khai đầy đủ các nội dung về {topic} đến cán bộ, công chức, viên chức.",
    "Kết quả thực hiện {topic} trong kỳ đạt {p} phần trăm so với kế hoạch năm.",
    "Tiếp tục đẩy mạnh {topic}, bảo đảm tiến độ và chất lượng theo yêu cầu.",
    "Giao Sở Tài chính chủ trì, phối hợp với các sở, ngành liên quan thẩm định, trình cấp có thẩm quyền xem xét.",
    "Ủy ban nhân dân các huyện, thị xã, thành phố chỉ đạo các phòng chuyên môn phối hợp thực hiện.",
    "Kinh phí thực hiện từ nguồn ngân sách nhà nước và các nguồn hợp pháp khác theo quy định.",
    "Văn bản này thay thế văn bản số {n}/{u} ngày {d}.",
    "Đề nghị các đơn vị cử đại diện lãnh đạo và chuyên viên phụ trách tham dự đầy đủ, đúng thành phần.",
    "Thời gian họp bắt đầu lúc 08 giờ 00 phút tại phòng họp số 2, trụ sở Ủy ban nhân dân tỉnh.",
    "Báo cáo gửi về Sở Kế hoạch và Đầu tư qua Hệ thống quản lý văn bản và điều hành để tổng hợp.",
    "Tổng số hồ sơ tiếp nhận trong kỳ là {n} hồ sơ, trong đó giải quyết đúng hạn {p} phần trăm.",
    "Tổng vốn đầu tư công được giao là {n} tỷ đồng, đã giải ngân {p} phần trăm kế hoạch vốn.",
    "Tăng cường kỷ luật, kỷ cương hành chính, nâng cao trách nhiệm người đứng đầu trong thực thi công vụ.",
    "Định kỳ hằng tháng báo cáo kết quả thực hiện về Văn phòng Ủy ban nhân dân tỉnh trước ngày 20.",
    "Thủ trưởng các cơ quan, đơn vị và các cá nhân có liên quan chịu trách nhiệm thi hành văn bản này.",
    "Quyết định này có hiệu lực kể từ ngày ký.",
    "Đề nghị các cơ quan, đơn vị quan tâm, phối hợp thực hiện.",
    "Sở Thông tin và Truyền thông hướng dẫn bảo đảm an toàn thông tin cho hệ thống dùng chung của tỉnh.",
    "Rà soát danh mục thủ tục hành chính, cắt giảm thời gian giải quyết ít nhất {p} phần trăm.",
    "Tổ chức kiểm tra tại {n} đơn vị, phát hiện và chấn chỉnh kịp thời các tồn tại, hạn chế.",
    "Đẩy nhanh tiến độ bồi thường, giải phóng mặt bằng các dự án trọng điểm của tỉnh.",
    "Phối hợp chặt chẽ với Ủy ban Mặt trận Tổ quốc và các đoàn thể trong công tác tuyên truyền, vận động.",
]  # fmt: skip

OUT_ADDRESSEES = [
    "Ủy ban nhân dân tỉnh", "Các sở, ban, ngành tỉnh", "Ủy ban nhân dân các huyện, thị xã, thành phố",
    "Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Sở Nội vụ", "Văn phòng Ủy ban nhân dân tỉnh",
    "Các phòng chuyên môn thuộc Sở", "Ủy ban nhân dân các xã, phường, thị trấn", "Bộ Kế hoạch và Đầu tư",
]  # fmt: skip
