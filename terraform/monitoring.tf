# Alerts on what needs a person: messages that could not be processed,
# jobs that failed, and projects close to their carbon budget.

resource "google_monitoring_alert_policy" "dead_letter_backlog" {
  project      = var.project_id
  display_name = "Carbon scheduler: messages in the dead-letter topic"
  combiner     = "OR"

  documentation {
    content   = "Messages failed every delivery attempt. Inspect them with `carbon-scheduler dlq list`, fix the cause, then `carbon-scheduler dlq replay`."
    mime_type = "text/markdown"
  }

  conditions {
    display_name = "dead-letters audit subscription has undelivered messages"

    condition_threshold {
      filter          = "resource.type = \"pubsub_subscription\" AND resource.labels.subscription_id = \"${google_pubsub_subscription.audit["dead-letters"].name}\" AND metric.type = \"pubsub.googleapis.com/subscription/num_undelivered_messages\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "300s"

      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }

  notification_channels = var.alert_notification_channels
  depends_on            = [google_project_service.apis]
}

resource "google_logging_metric" "failed_jobs" {
  project     = var.project_id
  name        = "${var.name_prefix}-failed-jobs"
  description = "Training jobs whose lifecycle ended in the failed state."
  filter      = "resource.type = \"cloud_run_revision\" AND jsonPayload.event = \"job-failed\""

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
  }
}

resource "google_monitoring_alert_policy" "failed_jobs" {
  project      = var.project_id
  display_name = "Carbon scheduler: a training job failed"
  combiner     = "OR"

  documentation {
    content   = "A job's lifecycle ended in the failed state. Its job-events message and `carbon-scheduler jobs status <id>` give the reason."
    mime_type = "text/markdown"
  }

  conditions {
    display_name = "failed jobs in the last 5 minutes"

    condition_threshold {
      filter          = "resource.type = \"cloud_run_revision\" AND metric.type = \"logging.googleapis.com/user/${google_logging_metric.failed_jobs.name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"

      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_SUM"
      }
    }
  }

  notification_channels = var.alert_notification_channels
}

resource "google_logging_metric" "budget_use" {
  project     = var.project_id
  name        = "${var.name_prefix}-budget-use"
  description = "Fraction of a project's monthly carbon budget used, logged when a job is planned or recorded."
  filter      = "resource.type = \"cloud_run_revision\" AND jsonPayload.event = \"budget-use\""

  value_extractor = "EXTRACT(jsonPayload.budgetUsedFraction)"

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "DISTRIBUTION"
    unit        = "1"

    labels {
      key         = "project"
      value_type  = "STRING"
      description = "The project whose budget it is."
    }
  }

  label_extractors = {
    project = "EXTRACT(jsonPayload.project)"
  }

  bucket_options {
    linear_buckets {
      num_finite_buckets = 20
      width              = 0.1
      offset             = 0
    }
  }
}

resource "google_monitoring_alert_policy" "budget_use" {
  project      = var.project_id
  display_name = "Carbon scheduler: a project is close to its carbon budget"
  combiner     = "OR"

  documentation {
    content   = "A project has used at least ${var.budget_alert_fraction * 100} % of its monthly carbon budget. `carbon-scheduler report --project <p> --month <yyyy-mm>` shows the use."
    mime_type = "text/markdown"
  }

  conditions {
    display_name = "budget use above the alert fraction"

    condition_threshold {
      filter          = "resource.type = \"cloud_run_revision\" AND metric.type = \"logging.googleapis.com/user/${google_logging_metric.budget_use.name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.budget_alert_fraction
      duration        = "0s"

      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_PERCENTILE_99"
        cross_series_reducer = "REDUCE_MAX"
        group_by_fields      = ["metric.label.project"]
      }
    }
  }

  notification_channels = var.alert_notification_channels
}
