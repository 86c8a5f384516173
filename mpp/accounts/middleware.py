"""Officers must use two-factor sign-in (placeholder; enforced by the sign-in work)."""


class OfficerTwoFactorMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
