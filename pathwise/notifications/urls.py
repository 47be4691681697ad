from django.urls import path

from pathwise.notifications import views

urlpatterns = [
    path("staff/tasks/", views.staff_tasks, name="staff-tasks"),
    path("staff/messages/", views.staff_messages, name="staff-messages"),
    path("staff/participants/<identifier:public_id>/contact/", views.staff_contact,
         name="staff-contact"),
    path("staff/webhooks/", views.staff_webhooks, name="staff-webhooks"),
    path("staff/webhooks/<int:endpoint_id>/", views.staff_webhook, name="staff-webhook"),
    path("staff/webhooks/<int:endpoint_id>/do/", views.staff_webhook_action,
         name="staff-webhook-action"),
    path("staff/webhooks/<int:endpoint_id>/delete/", views.staff_webhook_delete,
         name="staff-webhook-delete"),
    path("staff/webhooks/<int:endpoint_id>/deliveries/<uuid:delivery_id>/send-again/",
         views.staff_webhook_redeliver, name="staff-webhook-redeliver"),
]
