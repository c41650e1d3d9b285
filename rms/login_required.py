"""Every page needs a signed-in user unless its view opts out (login, /health/, careers)."""

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's, asking the view before the user: reading request.user opens the session,
    and a response that read the session says `Vary: Cookie`, which no shared cache can
    serve to everyone. Public pages (the careers site) must never touch it."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
