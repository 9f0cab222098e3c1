"""Forms of the meetings pages, by area (``forms.booking``: the registration and change form, the
preparation rows, the approval, rejection and cancellation forms)."""
