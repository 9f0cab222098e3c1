"""Staff two-factor sign-in (Phụ lục VI III.3.a), with django-otp.

- ``policy``: who must use a second factor (``Agency.two_factor``), who has a device.
- ``services``: enrolment of an authenticator app (TOTP, RFC 6238) and its ten backup codes, turning it
  off, the check of a code, the agency's policy and the reset of a person's devices by the agency admin
  (each written to Django's admin log: the person's or the agency's history).
- ``login``: the sign-in in two steps (password, then the code) and the verify page.
- ``middleware``: a person the policy requires is kept on the enrolment or verify page until done.
- ``views``: "Bảo mật tài khoản" (the person's own page) and "Xác thực hai lớp" of the agency admin.
"""
