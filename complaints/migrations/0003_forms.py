# ruff: noqa: E501 - the forms are legal text and a table of versions, kept one row per line
"""The forms of the module (``LegalForm``), one row per version: the version in force on 01/07/2026 for every
form and, where the law changed the form on that day, the older version too (cases received before it keep
the older wording).

Sources: TT 05/2021/TT-TTCP (process of receiving and handling letters: phiếu đề xuất thụ lý, phiếu chuyển
đơn, phiếu hướng dẫn, thông báo không thụ lý), NĐ 124/2020/NĐ-CP as amended by NĐ 155/2026/NĐ-CP
(complaints), NĐ 31/2019/NĐ-CP as amended by NĐ 156/2026/NĐ-CP (denunciations), TT 04/2021/TT-TTCP and
NĐ 154/2026/NĐ-CP (citizen reception: Mẫu 02/TCD). The older rows carry the date their own instrument took
effect; a case received before it finds no form (an administrator adds one in the admin).

Each body is a Django template (no custom tags) rendered by ``complaints.render`` with the context of
``services.drafting.form_context`` (case, letter, agency, people = display labels, protected, today) and the
extras the caller adds (listed in ``complaints/render/__init__.py``). The Decree-30 frame (agency header,
number, place and date, type and summary, signature, Nơi nhận) is the outgoing document's or, for the printed
forms, ``render.form_pdf``'s: a body holds only what sits between them. In a Quyết định the paragraphs that
open with "Căn cứ", "Theo đề nghị" or "Xét" before "Điều 1." are its legal bases and a first paragraph
"Kính gửi: …" is the addressee (``render.form_parts`` takes them out for the outgoing fields).

``title`` is what prints under the document type as its summary (a drafted document) or as the title (a
printed form). These rows are never edited in place: a new version is a new row.
"""

from django.db import migrations

NEW = "2026-07-01"
TT05 = "2021-11-16"  # TT 05/2021/TT-TTCP and TT 04/2021/TT-TTCP took effect
ND124 = "2020-12-05"
ND31 = "2019-05-27"

# Shared pieces ------------------------------------------------------------------------------------------------

# Whom a document is sent to: the people by their display label; a protected denouncer is never named.
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
BASES_KN_OLD = (
    "<p>Căn cứ Luật Khiếu nại ngày 11 tháng 11 năm 2011;</p>"
    "<p>Căn cứ Nghị định số 124/2020/NĐ-CP ngày 19 tháng 10 năm 2020 của Chính phủ quy định chi tiết một số "
    "điều và biện pháp thi hành Luật Khiếu nại;</p>"
)
BASES_KN_NEW = (
    "<p>Căn cứ Luật Khiếu nại ngày 11 tháng 11 năm 2011, được sửa đổi, bổ sung bởi Luật số 136/2025/QH15;</p>"
    "<p>Căn cứ Nghị định số 124/2020/NĐ-CP ngày 19 tháng 10 năm 2020 của Chính phủ quy định chi tiết một số "
    "điều và biện pháp thi hành Luật Khiếu nại, được sửa đổi, bổ sung bởi Nghị định số 155/2026/NĐ-CP;</p>"
)
BASES_TC = (
    "<p>Căn cứ Luật Tố cáo ngày 12 tháng 6 năm 2018, được sửa đổi, bổ sung bởi Luật số 136/2025/QH15;</p>"
    "<p>Căn cứ Nghị định số 31/2019/NĐ-CP ngày 10 tháng 4 năm 2019 của Chính phủ quy định chi tiết một số "
    "điều và biện pháp tổ chức thi hành Luật Tố cáo, được sửa đổi, bổ sung bởi Nghị định số 156/2026/NĐ-CP;</p>"
)
PROPOSAL = "<p>Theo đề nghị của {{ proposer|default:'Chánh Thanh tra' }},</p>"


def execute(n: int, who: str = PEOPLE) -> str:
    return (
        f"<p>Điều {n}. Chánh Văn phòng, {{{{ department|default:'Chánh Thanh tra' }}}}, các cơ quan, tổ chức, "
        f"cá nhân có liên quan và {who} chịu trách nhiệm thi hành Quyết định này.</p>"
    )


# The printed forms (render.form_pdf) ------------------------------------------------------------------------

RECEIPT_BODY = (
    "<p>Vào hồi {{ received_at|date:'H' }} giờ {{ received_at|date:'i' }} phút, ngày "
    "{{ received_at|date:'d/m/Y' }}, tại {{ place|default:'Trụ sở tiếp công dân' }} của {{ agency.name }}.</p>"
    "<p>Tôi là: {{ officer_name|default:'…' }}{% if officer_position %}; chức vụ: {{ officer_position }}"
    "{% endif %}.</p>"
    f"<p>Đã nhận của: {PEOPLE}{{% if people_count > 1 %}} (đại diện cho nhóm {{{{ people_count }}}} người)"
    "{% endif %}.</p>"
    "<p>Các thông tin, tài liệu, bằng chứng sau đây:</p>"
    "<ol>{% for paper in papers %}<li>{{ paper }}</li>{% empty %}<li>…</li>{% endfor %}</ol>"
    "{% if content %}<p>Liên quan đến nội dung: {{ content }}</p>{% endif %}"
    "<p>Giấy biên nhận được lập thành 02 bản, người nộp giữ 01 bản, người tiếp nhận giữ 01 bản.</p>"
)
RECEIPT_BODY_OLD = RECEIPT_BODY.replace(
    "<p>Giấy biên nhận",
    "<p>Người tiếp nhận có trách nhiệm bảo quản các thông tin, tài liệu đã nhận. Giấy biên nhận",
)

VISIT_RESULT_BODY = (
    f"{TO_PEOPLE}"
    "<p>Ngày {{ received_at|date:'d/m/Y' }}, {{ agency.name }} đã tiếp {{ people_count_text }}"
    f"{PEOPLE} đến trình bày về việc: {{{{ content|default:'…' }}}}.</p>"
    "<p>Sau khi xem xét nội dung trình bày và các thông tin, tài liệu có liên quan, {{ agency.name }} "
    "thông báo kết quả tiếp công dân như sau:</p>"
    "<p>{{ result|default:'…'|linebreaksbr }}</p>"
    "<p>{{ agency.name }} thông báo để ông (bà) được biết.</p>"
)
VISIT_RESULT_BODY_NEW = VISIT_RESULT_BODY.replace(
    "<p>{{ agency.name }} thông báo để",
    "<p>Trường hợp chưa đồng ý với kết quả trên, ông (bà) có quyền tiếp tục kiến nghị, phản ánh, khiếu nại, "
    "tố cáo theo quy định của pháp luật. {{ agency.name }} thông báo để",
)

INTAKE_PROPOSAL_BODY = (
    "<p>Kính gửi: {{ decider_title|default:'Thủ trưởng cơ quan' }}</p>"
    f"<p>Ngày {RECEIVED}, {{{{ agency.name }}}} nhận được đơn {KIND} của {PEOPLE} {LETTER_REF}.</p>"
    "<p>Nội dung đơn: {{ case.content }}</p>"
    "<p>Qua nghiên cứu nội dung đơn và các thông tin, tài liệu kèm theo, xét thấy đơn đủ điều kiện thụ lý "
    "và vụ việc thuộc thẩm quyền giải quyết của {{ decider_title|default:'Thủ trưởng cơ quan'|lower }} "
    "{{ agency.name }}.</p>"
    f"<p>Đề xuất {{{{ decider_title|default:'Thủ trưởng cơ quan' }}}} thụ lý giải quyết {KIND}"
    "{% if case.instance == 2 %} (lần hai){% endif %}{% if note %}; {{ note }}{% endif %}.</p>"
)

GUIDANCE_BODY = (
    f"{TO_PEOPLE}"
    f"<p>Ngày {RECEIVED}, {{{{ agency.name }}}} nhận được đơn của {PEOPLE} {LETTER_REF}, nội dung: "
    "{{ case.content }}</p>"
    "<p>Sau khi nghiên cứu nội dung đơn, căn cứ quy định của pháp luật, nội dung đơn không thuộc thẩm quyền "
    "giải quyết của {{ agency.name }}. Đề nghị ông (bà) gửi đơn đến "
    "{{ forwarded_to|default:case.competent_body|default:'cơ quan có thẩm quyền' }} để được xem xét, giải "
    "quyết theo quy định của pháp luật.</p>"
    "{% if guidance %}<p>{{ guidance|linebreaksbr }}</p>{% endif %}"
    "<p>Đơn của ông (bà) và các tài liệu kèm theo (nếu có) được trả lại cùng Phiếu này.</p>"
)

# Drafted as outgoing documents (render.form_body / form_parts) -----------------------------------------------

FORWARD_BODY = (
    "<p>Kính gửi: {{ forwarded_to|default:case.competent_body|default:'…' }}</p>"
    f"<p>Ngày {RECEIVED}, {{{{ agency.name }}}} nhận được đơn {KIND} của {PEOPLE} {LETTER_REF}.</p>"
    "<p>Nội dung đơn: {{ case.content }}</p>"
    "<p>Sau khi xem xét nội dung đơn, căn cứ quy định của pháp luật, {{ agency.name }} chuyển đơn đến "
    "{{ forwarded_to|default:case.competent_body|default:'…' }} để xem xét, giải quyết theo thẩm quyền"
    "{% if reason %} ({{ reason }}){% endif %}.</p>"
    "{% if case.kind == 'denunciation' %}<p>Đề nghị {{ forwarded_to|default:case.competent_body|default:'…' }} "
    "giữ bí mật họ tên, địa chỉ, bút tích và các thông tin cá nhân khác của người tố cáo theo quy định của "
    "pháp luật về tố cáo và thông báo kết quả giải quyết cho {{ agency.name }} biết.</p>{% else %}"
    "<p>Đề nghị {{ forwarded_to|default:case.competent_body|default:'…' }} thông báo kết quả xử lý cho người "
    "gửi đơn và cho {{ agency.name }} biết.</p>{% endif %}"
    "<p>Kèm theo: đơn{% if protected %} (bản đã che thông tin người tố cáo){% endif %} và tài liệu "
    "kèm theo (nếu có).</p>"
)

ACCEPT_BODY_OLD = (
    f"{TO_PEOPLE}"
    f"<p>Ngày {RECEIVED}, {{{{ agency.name }}}} đã nhận được đơn khiếu nại của {PEOPLE} {LETTER_REF}.</p>"
    "<p>Nội dung khiếu nại: {{ case.content }}</p>"
    "<p>Sau khi xem xét nội dung đơn khiếu nại, căn cứ Luật Khiếu nại và Nghị định số 124/2020/NĐ-CP, đơn "
    "khiếu nại đủ điều kiện thụ lý và thuộc thẩm quyền giải quyết của {{ agency.name }}. "
    "{{ agency.name }} thụ lý giải quyết khiếu nại {% if case.instance == 2 %}lần hai{% else %}lần đầu"
    "{% endif %} kể từ ngày ký Thông báo này{% if deadline %}; thời hạn giải quyết: {{ deadline }}{% endif %}.</p>"
    "<p>{{ agency.name }} thông báo để ông (bà) được biết.</p>"
)
ACCEPT_BODY_NEW = ACCEPT_BODY_OLD.replace(
    "Nghị định số 124/2020/NĐ-CP,",
    "Nghị định số 124/2020/NĐ-CP được sửa đổi, bổ sung bởi Nghị định số 155/2026/NĐ-CP,",
)

REFUSE_BODY_OLD = (
    f"{TO_PEOPLE}"
    f"<p>Ngày {RECEIVED}, {{{{ agency.name }}}} đã nhận được đơn {KIND} của {PEOPLE} {LETTER_REF}.</p>"
    "<p>Nội dung đơn: {{ case.content }}</p>"
    "<p>Sau khi xem xét nội dung đơn, căn cứ quy định của pháp luật, {{ agency.name }} không thụ lý giải "
    "quyết đơn {{ case.get_kind_display|lower }} nêu trên với lý do: "
    "{{ reason|default:case.outcome_reason|default:case.get_not_processable_reason_display|default:'…' }}.</p>"
    "<p>{{ agency.name }} thông báo để ông (bà) được biết.</p>"
)
REFUSE_BODY_NEW = REFUSE_BODY_OLD.replace(
    "căn cứ quy định của pháp luật,",
    "căn cứ Luật Khiếu nại, Luật Tố cáo được sửa đổi, bổ sung bởi Luật số 136/2025/QH15 và các văn bản quy "
    "định chi tiết,",
)

VERIFICATION_BODY = (
    "{{ bases }}"
    "<p>Xét đơn "
    + KIND
    + " của "
    + PEOPLE
    + " "
    + LETTER_REF
    + ";</p>"
    + PROPOSAL
    + "<p>Điều 1. Giao {% if team %}Tổ xác minh gồm: {{ team }}{% elif verifiers|length > 1 %}"
    "Tổ xác minh gồm: {{ verifiers|join:', ' }}{% if lead %} (Tổ trưởng: {{ lead }}){% endif %}{% else %}"
    "{{ verifier|default:lead|default:'…' }}{% endif %} tiến hành xác minh nội dung {{ case.get_kind_display|lower }}: "
    "{{ case.content }}</p>"
    "<p>Thời gian xác minh: {{ period|default:'theo thời hạn giải quyết vụ việc' }}.</p>"
    "<p>Điều 2. Người được giao nhiệm vụ xác minh có trách nhiệm thực hiện các nhiệm vụ, quyền hạn quy "
    "định tại Điều 29 Luật Khiếu nại, báo cáo kết quả xác minh bằng văn bản và đề xuất hướng giải quyết.</p>"
    + execute(3, "người được giao nhiệm vụ xác minh")
)

DIALOGUE_BODY = (
    "<p>Vào hồi {{ held_at|date:'H'|default:'…' }} giờ {{ held_at|date:'i'|default:'…' }} phút, ngày "
    "{% if held_at %}{{ held_at|date:'d/m/Y' }}{% elif held_on %}{{ held_on|date:'d/m/Y' }}{% else %}…{% endif %}, "
    "tại {{ place|default:'…' }}.</p>"
    "<p>Thành phần tham gia đối thoại gồm:</p>"
    "<p>1. Người giải quyết khiếu nại (hoặc người được giao tổ chức đối thoại): "
    "{{ chair|default:'…' }}</p>"
    f"<p>2. Người khiếu nại: {PEOPLE}</p>"
    "<p>3. Người bị khiếu nại: {{ respondent|default:'…' }}</p>"
    "<p>4. Cơ quan, tổ chức, cá nhân có liên quan: {{ others|default:'…' }}</p>"
    "<p>Nội dung đối thoại:</p>"
    "<p>{{ minutes|default:'…'|linebreaksbr }}</p>"
    "<p>Kết quả đối thoại: {{ outcome|default:'…'|linebreaksbr }}</p>"
    "<p>Buổi đối thoại kết thúc vào hồi … giờ … phút cùng ngày. Biên bản đã được đọc lại cho những người "
    "tham gia đối thoại nghe và cùng ký tên; biên bản được lập thành … bản, giao cho người khiếu nại, người "
    "bị khiếu nại mỗi bên một bản.</p>"
)

DECISION_BODY = (
    "{{ bases }}"
    "<p>Xét đơn khiếu nại của " + PEOPLE + " " + LETTER_REF + ";</p>"
    "<p>Xét báo cáo kết quả xác minh nội dung khiếu nại{% if findings %}: {{ findings }}{% endif %};</p>"
    "{% if previous %}<p>Xét kết quả giải quyết khiếu nại lần đầu: {{ previous }};</p>{% endif %}"
    "{% if dialogue %}<p>Xét kết quả đối thoại: {{ dialogue }};</p>{% endif %}"
    "<p>Điều 1. Kết luận nội dung khiếu nại: {{ conclusion|default:result|default:'…'|linebreaksbr }}</p>"
    "<p>Điều 2. {{ decision|default:case.result_summary|default:'…'|linebreaksbr }}</p>"
    "<p>Điều 3. {% if case.instance == 2 %}Trong thời hạn theo quy định của pháp luật, kể từ ngày nhận được "
    "Quyết định này, nếu không đồng ý với quyết định giải quyết khiếu nại lần hai thì người khiếu nại có "
    "quyền khởi kiện vụ án hành chính tại Tòa án theo quy định của Luật Tố tụng hành chính.{% else %}"
    "Trong thời hạn theo quy định tại Điều 33 Luật Khiếu nại, kể từ ngày nhận được Quyết định này, nếu không "
    "đồng ý với quyết định giải quyết khiếu nại thì người khiếu nại có quyền khiếu nại đến người có thẩm quyền "
    "giải quyết khiếu nại lần hai hoặc khởi kiện vụ án hành chính tại Tòa án theo quy định của Luật Tố tụng "
    "hành chính.{% endif %}</p>" + execute(4)
)
SUSPENSION_BODY = (
    "{{ bases }}"
    "<p>Xét đơn khiếu nại của " + PEOPLE + " " + LETTER_REF + ";</p>"
    "<p>Xét thấy {{ reason|default:ground|default:'…' }};</p>" + PROPOSAL + ""
    "<p>Điều 1. Tạm đình chỉ việc giải quyết khiếu nại đối với đơn của " + PEOPLE + " kể từ ngày ký "
    "Quyết định này. Thời gian tạm đình chỉ không tính vào thời hạn giải quyết khiếu nại.</p>"
    "<p>Điều 2. Khi lý do tạm đình chỉ không còn, người giải quyết khiếu nại ra quyết định tiếp tục giải quyết "
    "khiếu nại.</p>" + execute(3)
)
STOP_BODY = (
    "{{ bases }}"
    "<p>Xét đơn " + KIND + " của " + PEOPLE + " " + LETTER_REF + ";</p>"
    "<p>Xét thấy {{ reason|default:ground|default:'…' }};</p>" + PROPOSAL + ""
    "<p>Điều 1. Đình chỉ việc giải quyết {{ case.get_kind_display|lower }} đối với đơn của "
    + PEOPLE
    + ".</p>"
    "<p>Điều 2. Kết thúc việc giải quyết vụ việc; hồ sơ được lưu theo quy định.</p>" + execute(3)
)
CONTINUE_BODY = (
    "{{ bases }}"
    "<p>Xét đơn khiếu nại của " + PEOPLE + " " + LETTER_REF + ";</p>"
    "<p>Xét thấy lý do tạm đình chỉ việc giải quyết khiếu nại{% if suspension %} theo {{ suspension }}"
    "{% endif %} không còn{% if ground %} ({{ ground }}){% endif %};</p>" + PROPOSAL + ""
    "<p>Điều 1. Tiếp tục giải quyết khiếu nại đối với đơn của " + PEOPLE + " kể từ ngày ký Quyết định này. "
    "Thời hạn giải quyết được tiếp tục tính kể từ ngày ký Quyết định này{% if deadline %} ({{ deadline }})"
    "{% endif %}.</p>" + execute(2)
)

DENUNCIATION_ACCEPT_BODY = (
    BASES_TC + "<p>Xét đơn tố cáo " + LETTER_REF + ";</p>" + PROPOSAL + ""
    "<p>Điều 1. Thụ lý tố cáo đối với {{ accused|default:'…' }} về nội dung: {{ case.content }}</p>"
    "<p>Điều 2. Thời hạn giải quyết tố cáo là 30 ngày kể từ ngày ký Quyết định này; trường hợp phức tạp "
    "có thể gia hạn theo quy định tại Điều 30 Luật Tố cáo."
    "{% if verifier %} Giao {{ verifier }} xác minh nội dung tố cáo.{% endif %}</p>"
    "<p>Điều 3. Người giải quyết tố cáo và người được giao xác minh có trách nhiệm giữ bí mật họ tên, địa "
    "chỉ, bút tích và các thông tin cá nhân khác của người tố cáo.</p>" + execute(4, "người bị tố cáo")
)
EXTENSION_BODY = (
    BASES_TC
    + "{% if accept_decision %}<p>Căn cứ Quyết định thụ lý tố cáo {{ accept_decision }};</p>{% endif %}"
    "<p>Xét đơn tố cáo " + LETTER_REF + ";</p>"
    "<p>Xét thấy vụ việc {{ ground|default:case.complexity_ground|default:'…' }};</p>" + PROPOSAL + ""
    "<p>Điều 1. Gia hạn thời hạn giải quyết tố cáo (lần {{ extension|default:n|default:case.extension_count|default:1 }}) "
    "đối với nội dung tố cáo: {{ case.content }}</p>"
    "<p>Thời gian gia hạn: {{ days|default:30 }} ngày{% if deadline %}, đến {{ deadline }}{% endif %}.</p>"
    + execute(2, "người bị tố cáo")
)
CONCLUSION_BODY = (
    "<p>Ngày {% if accepted_on %}{{ accepted_on }}{% elif case.accepted_at %}{{ case.accepted_at|date:'d/m/Y' }}"
    "{% else %}…{% endif %}, {{ agency.name }} thụ lý giải quyết tố cáo "
    + LETTER_REF
    + "{% if accused %} đối với {{ accused }}{% endif %}.</p>"
    "<p>Căn cứ báo cáo kết quả xác minh nội dung tố cáo, các tài liệu, chứng cứ có liên quan và giải trình của "
    "người bị tố cáo, {{ agency.name }} kết luận nội dung tố cáo như sau:</p>"
    "<h4>1. Nội dung tố cáo</h4><p>{{ case.content }}</p>"
    "<h4>2. Kết quả xác minh</h4><p>{{ findings|default:'…'|linebreaksbr }}</p>"
    "<h4>3. Kết luận</h4><p>{{ conclusion|default:result|default:case.result_summary|default:'…'|linebreaksbr }}</p>"
    "<h4>4. Biện pháp xử lý theo thẩm quyền và kiến nghị</h4><p>{{ handling|default:'…'|linebreaksbr }}</p>"
)
DENOUNCER_NOTICE_BODY = (
    "<p>Kính gửi: Người tố cáo</p>"
    "<p>{{ agency.name }} đã thụ lý giải quyết tố cáo "
    + LETTER_REF
    + " và đã ban hành kết luận nội dung tố cáo"
    "{% if conclusion_ref %} số {{ conclusion_ref }}{% endif %}.</p>"
    "<p>Kết quả giải quyết tố cáo như sau: {{ result|default:case.result_summary|default:'…'|linebreaksbr }}</p>"
    "<p>{{ agency.name }} thông báo để người tố cáo được biết. Thông tin về người tố cáo được giữ bí mật theo "
    "quy định của pháp luật.</p>"
)
PETITION_BODY = (
    f"{TO_PEOPLE}"
    f"<p>{{{{ agency.name }}}} nhận được đơn {KIND} của {PEOPLE} {LETTER_REF} ngày {RECEIVED}, nội dung: "
    "{{ case.content }}</p>"
    "<p>Sau khi xem xét, {{ agency.name }} trả lời như sau:</p>"
    "<p>{{ answer|default:case.result_summary|default:'…'|linebreaksbr }}</p>"
    "<p>{{ agency.name }} trả lời để ông (bà) được biết.</p>"
)

KN = "Luật Khiếu nại, NĐ 124/2020/NĐ-CP"
KN_NEW = "NĐ 124/2020/NĐ-CP, sửa đổi bởi NĐ 155/2026/NĐ-CP"
TC = "NĐ 31/2019/NĐ-CP, sửa đổi bởi NĐ 156/2026/NĐ-CP"

# code, effective_from, title, doc_type, source, body
FORMS = [
    ("receipt", TT05, "Giấy biên nhận thông tin, tài liệu, bằng chứng", "", "TT 04/2021/TT-TTCP (mẫu Giấy biên nhận)", RECEIPT_BODY_OLD),
    ("receipt", NEW, "Giấy biên nhận thông tin, tài liệu, bằng chứng", "", "Mẫu số 02/TCD, NĐ 154/2026/NĐ-CP", RECEIPT_BODY),
    ("visit_result", TT05, "Thông báo kết quả tiếp công dân", "TB", "TT 04/2021/TT-TTCP", VISIT_RESULT_BODY),
    ("visit_result", NEW, "Thông báo kết quả tiếp công dân", "TB", "NĐ 154/2026/NĐ-CP; Luật Tiếp công dân Đ28", VISIT_RESULT_BODY_NEW),
    ("intake_proposal", TT05, "Phiếu đề xuất thụ lý đơn", "", "Mẫu số 01, TT 05/2021/TT-TTCP", INTAKE_PROPOSAL_BODY),
    ("guidance", TT05, "Phiếu hướng dẫn", "", "TT 05/2021/TT-TTCP (mẫu Phiếu hướng dẫn)", GUIDANCE_BODY),
    ("forward", TT05, "Về việc chuyển đơn", "PC", "Mẫu số 02, 03, TT 05/2021/TT-TTCP (phiếu chuyển đơn; mẫu 03 cho đơn tố cáo)", FORWARD_BODY),
    ("accept_notice", ND124, "Về việc thụ lý giải quyết khiếu nại", "TB", f"{KN} (mẫu thông báo thụ lý)", ACCEPT_BODY_OLD),
    ("accept_notice", NEW, "Về việc thụ lý giải quyết khiếu nại", "TB", f"{KN_NEW} (mẫu thông báo thụ lý)", ACCEPT_BODY_NEW),
    ("refuse_notice", TT05, "Về việc không thụ lý giải quyết đơn", "TB", "TT 05/2021/TT-TTCP; NĐ 124/2020/NĐ-CP Đ11", REFUSE_BODY_OLD),
    ("refuse_notice", NEW, "Về việc không thụ lý giải quyết đơn", "TB", f"{KN_NEW}; TT 05/2021/TT-TTCP", REFUSE_BODY_NEW),
    ("verification_order", ND124, "Về việc giao nhiệm vụ xác minh nội dung khiếu nại", "QĐ", f"{KN} (mẫu quyết định giao nhiệm vụ xác minh)", VERIFICATION_BODY.replace("{{ bases }}", BASES_KN_OLD)),
    ("verification_order", NEW, "Về việc giao nhiệm vụ xác minh nội dung khiếu nại", "QĐ", f"{KN_NEW} (mẫu quyết định giao nhiệm vụ xác minh)", VERIFICATION_BODY.replace("{{ bases }}", BASES_KN_NEW)),
    ("dialogue_minutes", ND124, "Đối thoại giải quyết khiếu nại", "BB", f"{KN} Đ21, Đ39 (mẫu biên bản đối thoại)", DIALOGUE_BODY),
    ("complaint_decision", ND124, "Về việc giải quyết khiếu nại", "QĐ", f"{KN} (mẫu quyết định giải quyết khiếu nại)", DECISION_BODY.replace("{{ bases }}", BASES_KN_OLD)),
    ("complaint_decision", NEW, "Về việc giải quyết khiếu nại", "QĐ", f"{KN_NEW} (mẫu quyết định giải quyết khiếu nại)", DECISION_BODY.replace("{{ bases }}", BASES_KN_NEW)),
    ("suspension", ND124, "Về việc tạm đình chỉ việc giải quyết khiếu nại", "QĐ", f"{KN} (mẫu quyết định tạm đình chỉ)", SUSPENSION_BODY.replace("{{ bases }}", BASES_KN_OLD)),
    ("suspension", NEW, "Về việc tạm đình chỉ việc giải quyết khiếu nại", "QĐ", "NĐ 124/2020/NĐ-CP Đ28b, bổ sung bởi NĐ 155/2026/NĐ-CP", SUSPENSION_BODY.replace("{{ bases }}", BASES_KN_NEW)),
    ("stop", ND124, "Về việc đình chỉ việc giải quyết", "QĐ", f"{KN} (mẫu quyết định đình chỉ)", STOP_BODY.replace("{{ bases }}", BASES_KN_OLD)),
    ("stop", NEW, "Về việc đình chỉ việc giải quyết", "QĐ", "NĐ 124/2020/NĐ-CP Đ28b, bổ sung bởi NĐ 155/2026/NĐ-CP", STOP_BODY.replace("{{ bases }}", BASES_KN_NEW)),
    ("continue", ND124, "Về việc tiếp tục giải quyết khiếu nại", "QĐ", f"{KN} (mẫu quyết định tiếp tục giải quyết)", CONTINUE_BODY.replace("{{ bases }}", BASES_KN_OLD)),
    ("continue", NEW, "Về việc tiếp tục giải quyết khiếu nại", "QĐ", "NĐ 124/2020/NĐ-CP Đ28b, bổ sung bởi NĐ 155/2026/NĐ-CP", CONTINUE_BODY.replace("{{ bases }}", BASES_KN_NEW)),
    ("denunciation_accept", ND31, "Về việc thụ lý tố cáo", "QĐ", f"{TC} (mẫu quyết định thụ lý tố cáo)", DENUNCIATION_ACCEPT_BODY),
    ("extension", ND31, "Về việc gia hạn thời hạn giải quyết tố cáo", "QĐ", f"{TC} (mẫu quyết định gia hạn); Luật Tố cáo Đ30", EXTENSION_BODY),
    ("denunciation_conclusion", ND31, "Kết luận nội dung tố cáo", "TB", f"{TC} (mẫu kết luận nội dung tố cáo); Luật Tố cáo Đ35", CONCLUSION_BODY),
    ("denouncer_notice", ND31, "Kết quả giải quyết tố cáo", "TB", f"{TC} (mẫu thông báo kết quả giải quyết tố cáo)", DENOUNCER_NOTICE_BODY),
    ("petition_answer", TT05, "Trả lời kiến nghị, phản ánh", "", "TT 05/2021/TT-TTCP; Luật Tiếp công dân", PETITION_BODY),
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
    dependencies = [("complaints", "0002_legal_rules")]

    operations = [migrations.RunPython(seed, unseed)]
