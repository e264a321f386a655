# Cooperation data is kept through its own pages and services (translations, uploads, audit);
# the admin site registers none of it, so no change can bypass those rules.
