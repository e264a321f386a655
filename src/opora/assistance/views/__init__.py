"""The assistance pages, one module per area: measures and their versions, applications with
their evaluation and decision, assignments with their history, overpayments and reviews,
whole-registry runs, what-if simulations and the outreach worklist (``runs``)."""
