from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


dossier_list = receive = receive_papers = detail = check = act = form_pdf = paper_file = result_file = _todo
