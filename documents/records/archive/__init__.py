"""The agency archive (lưu trữ cơ quan, Phụ lục VI III.5b, c, đ; IV.1g): transfer of closed case files
(nộp lưu) and the archivist's check, the 30-day transfer warning, borrowing archived files, retention and
disposal through a recorded appraisal decision."""
