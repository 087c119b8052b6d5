/**
 * The carbon-aware training scheduler: eight Cloud Functions on Pub/Sub,
 * one Cloud Workflows lifecycle, buckets, a BigQuery ledger, secrets and
 * alerts. Each function has its own service account; every grant is made
 * on the resource it needs where the API allows it.
 */

locals {
  labels = merge({ "managed-by" = "terraform", product = "carbon-scheduler" }, var.labels)

  apis = [
    "aiplatform.googleapis.com",
    "artifactregistry.googleapis.com",
    "bigquery.googleapis.com",
    "cloudbuild.googleapis.com",
    "cloudfunctions.googleapis.com",
    "cloudquotas.googleapis.com",
    "cloudscheduler.googleapis.com",
    "iam.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
    "pubsub.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "storage.googleapis.com",
    "workflowexecutions.googleapis.com",
    "workflows.googleapis.com",
  ]

  # Every topic of the design (shared/messaging/topics.ts).
  topics = [
    "job-requests",
    "job-uploads",
    "job-rejected",
    "plan-requests",
    "forecasts-ready",
    "launch-requests",
    "monitor-requests",
    "pause-requests",
    "resume-requests",
    "footprint-requests",
    "job-commands",
    "job-events",
    "intensity-polls",
    "dead-letters",
  ]

  # Topics read by no function, kept on pull subscriptions for audit.
  audited_topics = ["job-rejected", "job-events", "dead-letters"]

  # Topics the lifecycle workflow publishes to.
  workflow_topics = [
    "plan-requests",
    "launch-requests",
    "monitor-requests",
    "pause-requests",
    "resume-requests",
    "footprint-requests",
    "job-events",
  ]

  # One entry per function (functions/registry.ts): its entry point, the
  # topics that push to it, and what it may touch.
  #   publishes:  topics it publishes to
  #   state:      access to the state bucket (cache, snapshots, records)
  #   intake:     reads uploaded job files
  #   checkpoints: access to the per-region checkpoint buckets
  #   dataset:    BigQuery dataset role, or "" for none
  #   secrets:    reads the provider credentials
  #   project_roles: roles that exist only at project level
  #   acts_as_trainer: may run CustomJobs as the training service account
  functions = {
    ingest-job = {
      entry_point     = "ingestJob"
      topics          = ["job-requests", "job-uploads", "job-commands"]
      publishes       = ["job-rejected", "job-events", "dead-letters"]
      state           = "roles/storage.objectUser"
      intake          = true
      checkpoints     = ""
      dataset         = "roles/bigquery.dataEditor"
      secrets         = false
      project_roles   = ["roles/workflows.invoker"]
      acts_as_trainer = false
      memory          = "256M"
    }
    fetch-forecasts = {
      entry_point     = "fetchForecasts"
      topics          = ["plan-requests", "intensity-polls"]
      publishes       = ["forecasts-ready", "job-events", "dead-letters"]
      state           = "roles/storage.objectUser"
      intake          = false
      checkpoints     = "roles/storage.objectUser"
      dataset         = "roles/bigquery.dataEditor"
      secrets         = true
      project_roles   = ["roles/aiplatform.user", "roles/workflows.invoker"]
      acts_as_trainer = false
      memory          = "512M"
    }
    optimize-slot = {
      entry_point     = "optimizeSlot"
      topics          = ["forecasts-ready"]
      publishes       = ["job-events", "dead-letters"]
      state           = "roles/storage.objectUser"
      intake          = false
      checkpoints     = ""
      dataset         = "roles/bigquery.dataEditor"
      secrets         = false
      project_roles   = ["roles/workflows.invoker", "roles/cloudquotas.viewer"]
      acts_as_trainer = false
      memory          = "512M"
    }
    launch-training = {
      entry_point     = "launchTraining"
      topics          = ["launch-requests"]
      publishes       = ["job-events", "dead-letters"]
      state           = "roles/storage.objectUser"
      intake          = false
      checkpoints     = "roles/storage.objectViewer"
      dataset         = ""
      secrets         = false
      project_roles   = ["roles/aiplatform.user", "roles/workflows.invoker"]
      acts_as_trainer = true
      memory          = "512M"
    }
    monitor-intensity = {
      entry_point     = "monitorIntensity"
      topics          = ["monitor-requests"]
      publishes       = ["job-events", "dead-letters"]
      state           = "roles/storage.objectUser"
      intake          = false
      checkpoints     = "roles/storage.objectViewer"
      dataset         = "roles/bigquery.dataEditor"
      secrets         = true
      project_roles   = ["roles/aiplatform.viewer", "roles/workflows.invoker"]
      acts_as_trainer = false
      memory          = "512M"
    }
    checkpoint-pause = {
      entry_point     = "checkpointPause"
      topics          = ["pause-requests"]
      publishes       = ["job-events", "dead-letters"]
      state           = "roles/storage.objectUser"
      intake          = false
      checkpoints     = "roles/storage.objectUser"
      dataset         = ""
      secrets         = false
      project_roles   = ["roles/aiplatform.user", "roles/workflows.invoker"]
      acts_as_trainer = false
      memory          = "512M"
    }
    resume = {
      entry_point     = "resume"
      topics          = ["resume-requests"]
      publishes       = ["job-events", "dead-letters"]
      state           = "roles/storage.objectUser"
      intake          = false
      checkpoints     = "roles/storage.objectUser"
      dataset         = ""
      secrets         = false
      project_roles   = ["roles/aiplatform.user", "roles/workflows.invoker"]
      acts_as_trainer = true
      memory          = "512M"
    }
    record-footprint = {
      entry_point     = "recordFootprint"
      topics          = ["footprint-requests"]
      publishes       = ["job-events", "dead-letters"]
      state           = "roles/storage.objectUser"
      intake          = false
      checkpoints     = ""
      dataset         = "roles/bigquery.dataEditor"
      secrets         = false
      project_roles   = ["roles/workflows.invoker"]
      acts_as_trainer = false
      memory          = "512M"
    }
  }

  # (function, topic) pairs, one push subscription each.
  function_subscriptions = merge([
    for name, fn in local.functions : {
      for topic in fn.topics : "${name}--${topic}" => {
        function = name
        topic    = topic
      }
    }
  ]...)

  # (function, topic) pairs it publishes to.
  function_publications = merge([
    for name, fn in local.functions : {
      for topic in fn.publishes : "${name}--${topic}" => {
        function = name
        topic    = topic
      }
    }
  ]...)

  # (function, project role) pairs.
  function_project_roles = merge([
    for name, fn in local.functions : {
      for role in fn.project_roles : "${name}--${role}" => {
        function = name
        role     = role
      }
    }
  ]...)

  # (function, training region) pairs for checkpoint bucket access.
  function_checkpoint_access = merge([
    for name, fn in local.functions : {
      for region in var.training_regions : "${name}--${region}" => {
        function = name
        region   = region
        role     = fn.checkpoints
      }
    } if fn.checkpoints != ""
  ]...)

  secret_ids = {
    electricity-maps-token = "ELECTRICITY_MAPS_TOKEN"
    watttime-username      = "WATTTIME_USERNAME"
    watttime-password      = "WATTTIME_PASSWORD"
  }

  # (function, secret) pairs for functions that read provider credentials.
  function_secret_access = merge([
    for name, fn in local.functions : {
      for secret in keys(local.secret_ids) : "${name}--${secret}" => {
        function = name
        secret   = secret
      }
    } if fn.secrets
  ]...)

  function_source_dir = coalesce(var.function_source_dir, "${path.module}/../.build/functions")
}

resource "google_project_service" "apis" {
  for_each = toset(local.apis)

  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

data "google_project" "this" {
  project_id = var.project_id
}
