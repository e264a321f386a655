from django.contrib.auth.backends import ModelBackend

from .roles import Role


class RoleBackend(ModelBackend):
    """Password login, plus every Django model permission for administrators, so the admin site
    works for them without a superuser flag."""

    def has_perm(self, user_obj, perm, obj=None):
        if user_obj.is_active and getattr(user_obj, "role", None) == Role.ADMINISTRATOR:
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        if user_obj.is_active and getattr(user_obj, "role", None) == Role.ADMINISTRATOR:
            return True
        return super().has_module_perms(user_obj, app_label)
