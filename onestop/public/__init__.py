"""The public one-stop pages, mounted at /mot-cua/ (no login): procedures, online submission, tracking,
rating, supplement."""
