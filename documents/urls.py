from django.urls import path

from documents.views import paz_y_salvo_verify

urlpatterns = [
    path("<str:code>/", paz_y_salvo_verify, name="paz-y-salvo-verify"),
]
