"""Information levels an agency's administrator defines (Phụ lục VI IV.1.a): groups of case files whose
reading is limited to named people, units and groups, beside the law's fixed secrecy and usage levels."""
