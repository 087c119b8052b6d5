resource "google_pubsub_topic" "topics" {
  for_each = toset(local.topics)

  project = var.project_id
  name    = each.value
  labels  = local.labels

  message_retention_duration = "604800s"

  depends_on = [google_project_service.apis]
}

# Topic names are the design's own (shared/messaging/topics.ts): the
# functions and the workflow address them by these names, so one project
# holds one deployment. Subscription names follow
# adapters/pubsub/topology.ts: <topic>--<function> and <topic>--audit.

# Pushes each function's topics to it. Managed here rather than by an
# Eventarc trigger, so the dead-letter and retry policies are ours. The
# push path /projects/P/topics/T is the one functions-framework turns into
# a Pub/Sub CloudEvent.
resource "google_pubsub_subscription" "push" {
  for_each = local.function_subscriptions

  project = var.project_id
  name    = "${each.value.topic}--${each.value.function}"
  topic   = google_pubsub_topic.topics[each.value.topic].id
  labels  = local.labels

  ack_deadline_seconds       = 300
  message_retention_duration = "604800s"

  push_config {
    push_endpoint = "${google_cloudfunctions2_function.functions[each.value.function].service_config[0].uri}/projects/${var.project_id}/topics/${google_pubsub_topic.topics[each.value.topic].name}"

    oidc_token {
      service_account_email = google_service_account.push_invoker.email
      audience              = google_cloudfunctions2_function.functions[each.value.function].service_config[0].uri
    }
  }

  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.topics["dead-letters"].id
    max_delivery_attempts = var.max_delivery_attempts
  }

  expiration_policy {
    ttl = ""
  }
}

# Pull subscriptions on the topics no function reads, so rejected jobs,
# job events and dead letters are kept for `carbon-scheduler dlq` and for
# audit. No retry backoff: `dlq list` nacks what it shows, and `dlq
# replay` must get it back at once.
resource "google_pubsub_subscription" "audit" {
  for_each = toset(local.audited_topics)

  project = var.project_id
  name    = "${each.value}--audit"
  topic   = google_pubsub_topic.topics[each.value].id
  labels  = local.labels

  ack_deadline_seconds       = 60
  message_retention_duration = "604800s"
  retain_acked_messages      = true

  expiration_policy {
    ttl = ""
  }
}

# The Pub/Sub service agent forwards undeliverable messages: it must
# publish to the dead-letter topic and acknowledge on each subscription.
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  project = var.project_id
  topic   = google_pubsub_topic.topics["dead-letters"].name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

resource "google_pubsub_subscription_iam_member" "dead_letter_subscriber" {
  for_each = local.function_subscriptions

  project      = var.project_id
  subscription = google_pubsub_subscription.push[each.key].name
  role         = "roles/pubsub.subscriber"
  member       = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

# The service agent mints the OIDC tokens of authenticated push.
resource "google_service_account_iam_member" "push_token_creator" {
  service_account_id = google_service_account.push_invoker.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

# Functions publish only to the topics they use.
resource "google_pubsub_topic_iam_member" "function_publishers" {
  for_each = local.function_publications

  project = var.project_id
  topic   = google_pubsub_topic.topics[each.value.topic].name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${google_service_account.functions[each.value.function].email}"
}

# The workflow publishes the request topics and job events.
resource "google_pubsub_topic_iam_member" "workflow_publishers" {
  for_each = toset(local.workflow_topics)

  project = var.project_id
  topic   = google_pubsub_topic.topics[each.value].name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${google_service_account.workflow.email}"
}

# Who may submit and control jobs.
resource "google_pubsub_topic_iam_member" "job_publishers" {
  for_each = {
    for pair in setproduct(var.job_publishers, ["job-requests", "job-commands"]) :
    "${pair[0]}--${pair[1]}" => { member = pair[0], topic = pair[1] }
  }

  project = var.project_id
  topic   = google_pubsub_topic.topics[each.value.topic].name
  role    = "roles/pubsub.publisher"
  member  = each.value.member
}

# Cloud Scheduler publishes the intensity poll.
resource "google_cloud_scheduler_job" "intensity_poll" {
  project     = var.project_id
  region      = var.region
  name        = "${var.name_prefix}-intensity-poll"
  description = "Refreshes carbon forecasts for every catalog region and reconciles running jobs."
  schedule    = var.poll_interval_minutes == 60 ? "0 * * * *" : "*/${var.poll_interval_minutes} * * * *"
  time_zone   = "Etc/UTC"

  pubsub_target {
    topic_name = google_pubsub_topic.topics["intensity-polls"].id
    data = base64encode(jsonencode({
      kind   = "intensity-poll"
      source = "cloud-scheduler"
    }))
    attributes = {
      kind = "intensity-poll"
    }
  }

  retry_config {
    retry_count          = 3
    min_backoff_duration = "30s"
    max_backoff_duration = "300s"
  }

  depends_on = [google_project_service.apis]
}
