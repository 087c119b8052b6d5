# Job files uploaded by users; each upload reaches ingest-job through a
# notification on the job-uploads topic.
resource "google_storage_bucket" "intake" {
  project                     = var.project_id
  name                        = "${var.project_id}-${var.name_prefix}-intake"
  location                    = var.region
  labels                      = local.labels
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  depends_on = [google_project_service.apis]
}

# Forecast cache, job snapshots, idempotency records and the function
# source. Only expired cache entries are removed by a rule.
resource "google_storage_bucket" "state" {
  project                     = var.project_id
  name                        = "${var.project_id}-${var.name_prefix}-state"
  location                    = var.region
  labels                      = local.labels
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  lifecycle_rule {
    condition {
      age            = var.cache_retention_days
      matches_prefix = ["cache/"]
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.apis]
}

# One checkpoint bucket per training region, so a job writes checkpoints
# next to its accelerators. Versioned: a rule removes only superseded
# (noncurrent) versions, never the current checkpoint of a job.
resource "google_storage_bucket" "checkpoints" {
  for_each = toset(var.training_regions)

  project                     = var.project_id
  name                        = "${var.project_id}-${var.name_prefix}-ckpt-${each.value}"
  location                    = each.value
  labels                      = local.labels
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = var.superseded_checkpoint_retention_days
      with_state                 = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_storage_notification" "intake" {
  bucket         = google_storage_bucket.intake.name
  topic          = google_pubsub_topic.topics["job-uploads"].id
  payload_format = "JSON_API_V1"
  event_types    = ["OBJECT_FINALIZE"]

  depends_on = [google_pubsub_topic_iam_member.storage_notifications]
}

data "google_storage_project_service_account" "this" {
  project = var.project_id
}

# Cloud Storage publishes the upload notifications.
resource "google_pubsub_topic_iam_member" "storage_notifications" {
  project = var.project_id
  topic   = google_pubsub_topic.topics["job-uploads"].name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${data.google_storage_project_service_account.this.email_address}"
}

resource "google_storage_bucket_iam_member" "intake_uploaders" {
  for_each = toset(var.job_publishers)

  bucket = google_storage_bucket.intake.name
  role   = "roles/storage.objectCreator"
  member = each.value
}

resource "google_storage_bucket_iam_member" "intake_readers" {
  for_each = { for name, fn in local.functions : name => fn if fn.intake }

  bucket = google_storage_bucket.intake.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.functions[each.key].email}"
}

resource "google_storage_bucket_iam_member" "state_users" {
  for_each = local.functions

  bucket = google_storage_bucket.state.name
  role   = each.value.state
  member = "serviceAccount:${google_service_account.functions[each.key].email}"
}

resource "google_storage_bucket_iam_member" "checkpoint_access" {
  for_each = local.function_checkpoint_access

  bucket = google_storage_bucket.checkpoints[each.value.region].name
  role   = each.value.role
  member = "serviceAccount:${google_service_account.functions[each.value.function].email}"
}

resource "google_storage_bucket_iam_member" "training_checkpoints" {
  for_each = toset(var.training_regions)

  bucket = google_storage_bucket.checkpoints[each.value].name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.training.email}"
}
