"""The case page's actions of this area: none. The protected side of a letter (revealing an identity,
opening a file, drawing the redacted copy) is reached through links, each page checking the right itself
(``complaints.views.files``): a reveal is a POST on its own never-cached page, not a case page form."""

ACTIONS: list = []
