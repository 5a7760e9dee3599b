"""Survey reads for pages, exports and the report, scoped to the tenant: the dashboard, a round
and its invitations, results and their comparison, templates, improvement actions, the poster."""

from kefu.surveys.queries.customers import customer_invitations, customer_section

__all__ = ["customer_invitations", "customer_section"]
