# ruff: noqa: E501 - the forms are legal text and a table of versions, kept one row per line
"""The forms of the steps that had none (LegalForm rows, laid out like 0003_forms: a body holds only what sits
between the Decree-30 frame's parts), and the form codes they need.

- ``keep`` (printed): Phiếu đề xuất xử lý đơn — lưu đơn, theo dõi. TT 05/2021/TT-TTCP gives the outcome
  (xếp lưu đơn; đơn đã gửi đồng thời cơ quan có thẩm quyền: lưu đơn, theo dõi) but no form of its own and no
  day count: the slip follows the layout of its Mẫu số 01 (the proposal the head approves), and the clock is
  the follow-up date the officer sets (the case's ``due_at``).
- ``denunciation_accept_notice`` (drafted, TB): Thông báo việc thụ lý tố cáo, Mẫu số 05 of NĐ 31/2019/NĐ-CP;
  Luật Tố cáo Đ29 khoản 3: within 05 working days of the acceptance decision (rule ``denunciation_notify``).
  Addressed to "Người tố cáo", never a name (like the notice of the result).
- ``visit_forward`` (printed): Phiếu hướng dẫn, chuyển đơn handed to a citizen whose content another body
  must settle (Luật Tiếp công dân Đ26; TT 04/2021/TT-TTCP, formerly Mẫu 05-TCD and 08-TCD of TT 06/2014).
"""

from django.db import migrations, models

NEW = "2026-07-01"
TT05 = "2021-11-16"  # TT 05/2021/TT-TTCP and TT 04/2021/TT-TTCP took effect
ND31 = "2019-05-27"

TO_PEOPLE = (
    "<p>Kính gửi: {% if protected %}Người tố cáo{% else %}{% for p in people %}Ông/Bà {{ p }}"
    "{% if not forloop.last %}; {% endif %}{% empty %}Ông/Bà …{% endfor %}{% endif %}</p>"
)
PEOPLE = (
    "{% if protected %}người tố cáo (thông tin được giữ bí mật){% else %}"
    "{% for p in people %}ông (bà) {{ p }}{% if not forloop.last %}, {% endif %}{% empty %}ông (bà) …{% endfor %}"
    "{% endif %}"
)
KIND = "{{ case.get_kind_display|lower }}"
RECEIVED = '{{ letter.received_on|date:"d/m/Y" }}'
LETTER_REF = "(số vào sổ {{ letter.number }}/{{ letter.year }}, mã vụ việc {{ case.code }})"

KEEP_BODY = (
    f"<p>Ngày {RECEIVED}, {{{{ agency.name }}}} nhận được đơn {KIND} của {PEOPLE} {LETTER_REF}, nội dung: "
    "{{ case.content }}</p>"
    "<p>Kết quả phân loại, xử lý: {% if case.duplicate_of %}đơn trùng nội dung với vụ việc "
    "{{ case.duplicate_of.code }} đã được xử lý"
    "{% elif case.processable is False %}đơn không đủ điều kiện xử lý ({{ case.get_not_processable_reason_display|lower }})"
    "{% elif case.competent is False %}đơn không thuộc thẩm quyền giải quyết của {{ agency.name }}"
    "{% if case.competent_body %}, thuộc thẩm quyền của {{ case.competent_body }}{% endif %}"
    "{% else %}đơn được gửi để biết, theo dõi{% endif %}.</p>"
    "<p>Đề xuất {{ decider_title|default:'Thủ trưởng cơ quan' }} cho lưu đơn, theo dõi. Lý do: "
    "{{ reason|default:case.outcome_reason|default:'…' }}.</p>"
    "{% if follow_up_on %}<p>Thời hạn theo dõi: đến ngày {{ follow_up_on|date:'d/m/Y' }}. Người xử lý đơn theo "
    "dõi kết quả giải quyết của cơ quan có thẩm quyền và báo cáo {{ decider_title|default:'Thủ trưởng cơ quan'|lower }}"
    " trước thời hạn này.</p>{% endif %}"
)

DENUNCIATION_ACCEPT_NOTICE_BODY = (
    "<p>Kính gửi: Người tố cáo</p>"
    f"<p>Ngày {RECEIVED}, {{{{ agency.name }}}} đã nhận được đơn tố cáo {LETTER_REF}.</p>"
    "<p>Căn cứ Điều 29 Luật Tố cáo, {{ agency.name }} đã ban hành Quyết định thụ lý tố cáo"
    "{% if accept_decision %} {{ accept_decision }}{% endif %}.</p>"
    "<p>Nội dung tố cáo được thụ lý: {{ case.content }}</p>"
    "<p>Thời hạn giải quyết tố cáo: {{ deadline|default:'không quá 30 ngày kể từ ngày thụ lý, có thể gia hạn "
    "theo quy định tại Điều 30 Luật Tố cáo' }}.</p>"
    "<p>{{ agency.name }} thông báo để người tố cáo được biết và thực hiện các quyền, nghĩa vụ của người tố cáo "
    "theo quy định tại Điều 9 Luật Tố cáo. Thông tin về người tố cáo được giữ bí mật theo quy định của pháp "
    "luật.</p>"
)

VISIT_FORWARD_BODY = (
    f"{TO_PEOPLE}"
    "<p>Ngày {{ received_at|date:'d/m/Y' }}, tại {{ place|default:'Trụ sở tiếp công dân' }} của "
    f"{{{{ agency.name }}}}, {PEOPLE}{{% if people_count > 1 %}} (đại diện cho nhóm {{{{ people_count }}}} người)"
    "{% endif %} đã trình bày nội dung: {{ content|default:'…' }}"
    "{% if case %} (mã vụ việc {{ case.code }}){% endif %}</p>"
    "<p>Căn cứ Điều 26 Luật Tiếp công dân, nội dung nêu trên không thuộc thẩm quyền giải quyết của "
    "{{ agency.name }}. {{ agency.name }} chuyển nội dung này đến {{ forwarded_to|default:'cơ quan có thẩm quyền' }}"
    " để xem xét, giải quyết theo thẩm quyền; đề nghị ông (bà) liên hệ {{ forwarded_to|default:'cơ quan có "
    "thẩm quyền' }} để được giải quyết theo quy định của pháp luật.</p>"
    "{% if guidance %}<p>{{ guidance|linebreaksbr }}</p>{% endif %}"
)
VISIT_FORWARD_BODY_NEW = VISIT_FORWARD_BODY.replace(
    "Căn cứ Điều 26 Luật Tiếp công dân,", "Căn cứ Điều 26 Luật Tiếp công dân và Nghị định số 154/2026/NĐ-CP,"
)

TC = "NĐ 31/2019/NĐ-CP, sửa đổi bởi NĐ 156/2026/NĐ-CP"

# code, effective_from, title, doc_type, source, body
FORMS = [
    ("keep", TT05, "Phiếu đề xuất xử lý đơn (lưu đơn, theo dõi)", "", "TT 05/2021/TT-TTCP (xử lý đơn: lưu đơn, theo dõi; bố cục Mẫu số 01 — thông tư không có mẫu riêng)", KEEP_BODY),
    ("denunciation_accept_notice", ND31, "Về việc thụ lý tố cáo", "TB", f"Mẫu số 05, {TC}; Luật Tố cáo Đ29 khoản 3", DENUNCIATION_ACCEPT_NOTICE_BODY),
    ("visit_forward", TT05, "Phiếu hướng dẫn, chuyển đơn", "", "Luật Tiếp công dân Đ26; TT 04/2021/TT-TTCP (mẫu phiếu hướng dẫn)", VISIT_FORWARD_BODY),
    ("visit_forward", NEW, "Phiếu hướng dẫn, chuyển đơn", "", "Luật Tiếp công dân Đ26; NĐ 154/2026/NĐ-CP", VISIT_FORWARD_BODY_NEW),
]  # fmt: skip


def seed(apps, schema_editor):
    LegalForm = apps.get_model("complaints", "LegalForm")
    for code, effective_from, title, doc_type, source, body in FORMS:
        LegalForm.objects.update_or_create(
            code=code,
            effective_from=effective_from,
            defaults={"title": title, "doc_type": doc_type, "source": source[:255], "body": body},
        )


def unseed(apps, schema_editor):
    LegalForm = apps.get_model("complaints", "LegalForm")
    for code, effective_from, *_rest in FORMS:
        LegalForm.objects.filter(code=code, effective_from=effective_from).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0004_case_search_and_lateness"),
    ]

    operations = [
        migrations.AlterField(
            model_name="casedocument",
            name="form",
            field=models.CharField(
                choices=[
                    ("receipt", "Giấy biên nhận thông tin, tài liệu"),
                    ("visit_result", "Thông báo kết quả tiếp công dân"),
                    ("intake_proposal", "Phiếu đề xuất thụ lý"),
                    ("guidance", "Phiếu hướng dẫn"),
                    ("forward", "Phiếu chuyển đơn"),
                    ("accept_notice", "Thông báo thụ lý giải quyết khiếu nại"),
                    ("refuse_notice", "Thông báo không thụ lý"),
                    ("verification_order", "Quyết định giao nhiệm vụ xác minh"),
                    ("dialogue_minutes", "Biên bản đối thoại"),
                    ("complaint_decision", "Quyết định giải quyết khiếu nại"),
                    ("suspension", "Quyết định tạm đình chỉ"),
                    ("stop", "Quyết định đình chỉ"),
                    ("continue", "Quyết định tiếp tục giải quyết"),
                    ("denunciation_accept", "Quyết định thụ lý tố cáo"),
                    ("extension", "Quyết định gia hạn giải quyết tố cáo"),
                    ("denunciation_conclusion", "Kết luận nội dung tố cáo"),
                    ("denouncer_notice", "Thông báo kết quả giải quyết tố cáo"),
                    ("petition_answer", "Văn bản trả lời kiến nghị, phản ánh"),
                    ("keep", "Phiếu đề xuất lưu đơn, theo dõi"),
                    ("denunciation_accept_notice", "Thông báo việc thụ lý tố cáo"),
                    ("visit_forward", "Phiếu hướng dẫn, chuyển đơn (tiếp công dân)"),
                ],
                max_length=30,
                verbose_name="mẫu",
            ),
        ),
        migrations.AlterField(
            model_name="legalform",
            name="code",
            field=models.CharField(
                choices=[
                    ("receipt", "Giấy biên nhận thông tin, tài liệu"),
                    ("visit_result", "Thông báo kết quả tiếp công dân"),
                    ("intake_proposal", "Phiếu đề xuất thụ lý"),
                    ("guidance", "Phiếu hướng dẫn"),
                    ("forward", "Phiếu chuyển đơn"),
                    ("accept_notice", "Thông báo thụ lý giải quyết khiếu nại"),
                    ("refuse_notice", "Thông báo không thụ lý"),
                    ("verification_order", "Quyết định giao nhiệm vụ xác minh"),
                    ("dialogue_minutes", "Biên bản đối thoại"),
                    ("complaint_decision", "Quyết định giải quyết khiếu nại"),
                    ("suspension", "Quyết định tạm đình chỉ"),
                    ("stop", "Quyết định đình chỉ"),
                    ("continue", "Quyết định tiếp tục giải quyết"),
                    ("denunciation_accept", "Quyết định thụ lý tố cáo"),
                    ("extension", "Quyết định gia hạn giải quyết tố cáo"),
                    ("denunciation_conclusion", "Kết luận nội dung tố cáo"),
                    ("denouncer_notice", "Thông báo kết quả giải quyết tố cáo"),
                    ("petition_answer", "Văn bản trả lời kiến nghị, phản ánh"),
                    ("keep", "Phiếu đề xuất lưu đơn, theo dõi"),
                    ("denunciation_accept_notice", "Thông báo việc thụ lý tố cáo"),
                    ("visit_forward", "Phiếu hướng dẫn, chuyển đơn (tiếp công dân)"),
                ],
                max_length=30,
                verbose_name="mẫu",
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
