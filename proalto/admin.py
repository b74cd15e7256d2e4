"""Admin building blocks every app's admin uses."""


class ReadOnlyAdminMixin:
    """For models the admin only shows: changes happen through services, never by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
