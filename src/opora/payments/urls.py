from .views import payout, payrolls, returns

app_name = "payments"
urlpatterns = [*payrolls.urlpatterns, *returns.urlpatterns, *payout.urlpatterns]
