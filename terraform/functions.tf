# The built source (`npm run package:functions`), one archive for all
# eight functions; each deploys with its own entry point.
data "archive_file" "function_source" {
  type        = "zip"
  source_dir  = local.function_source_dir
  output_path = "${path.module}/.terraform/function-source.zip"
}

resource "google_storage_bucket_object" "function_source" {
  name   = "functions/source-${data.archive_file.function_source.output_sha256}.zip"
  bucket = google_storage_bucket.state.name
  source = data.archive_file.function_source.output_path
}

resource "google_service_account" "functions" {
  for_each = local.functions

  project      = var.project_id
  account_id   = "${var.name_prefix}-${substr(each.key, 0, 30 - length(var.name_prefix) - 1)}"
  display_name = "Carbon scheduler ${each.key}"
  description  = "Runs the ${each.key} function; holds only the roles that function needs."
}

# Pub/Sub authenticates its pushes as this account.
resource "google_service_account" "push_invoker" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-push-invoker"
  display_name = "Carbon scheduler Pub/Sub push"
  description  = "Identity of the push subscriptions; may only invoke the functions."
}

resource "google_cloudfunctions2_function" "functions" {
  for_each = local.functions

  project     = var.project_id
  location    = var.region
  name        = "${var.name_prefix}-${each.key}"
  description = "Carbon scheduler ${each.key}, reached by Pub/Sub push on ${join(", ", each.value.topics)}."
  labels      = local.labels

  build_config {
    runtime     = "nodejs22"
    entry_point = each.value.entry_point

    source {
      storage_source {
        bucket = google_storage_bucket.state.name
        object = google_storage_bucket_object.function_source.name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.functions[each.key].email
    ingress_settings                 = "ALLOW_INTERNAL_ONLY"
    all_traffic_on_latest_revision   = true
    available_memory                 = each.value.memory
    timeout_seconds                  = 300
    max_instance_count               = var.function_max_instances
    max_instance_request_concurrency = 1

    # The settings adapters/cloud/cloud-settings.ts and cloud-adapters.ts
    # read; provider credentials come from Secret Manager by name.
    environment_variables = {
      GOOGLE_CLOUD_PROJECT      = var.project_id
      STATE_BUCKET              = google_storage_bucket.state.name
      INTAKE_BUCKET             = google_storage_bucket.intake.name
      WORKFLOW_LOCATION         = var.region
      LIFECYCLE_WORKFLOW        = google_workflows_workflow.lifecycle.name
      LEDGER_DATASET            = google_bigquery_dataset.ledger.dataset_id
      POLL_SECONDS              = tostring(var.poll_interval_minutes * 60)
      CARBON_SIGNAL_PROVIDERS   = join(",", var.signal_providers)
      TRAINING_SERVICE_ACCOUNT  = google_service_account.training.email
      CHECKPOINT_BUCKET_PREFIX  = "${var.project_id}-${var.name_prefix}-ckpt"
      CARBON_BUDGETS_JSON       = jsonencode({ schemaVersion = 1, overBudget = var.over_budget_action, projects = { for project, kg in var.carbon_budgets_kg : project => { carbonBudgetKg = kg } } })
      ELECTRICITY_MAPS_SECRET   = google_secret_manager_secret.provider["electricity-maps-token"].secret_id
      WATTTIME_USERNAME_SECRET  = google_secret_manager_secret.provider["watttime-username"].secret_id
      WATTTIME_PASSWORD_SECRET  = google_secret_manager_secret.provider["watttime-password"].secret_id
      TRAINING_REGIONS          = join(",", var.training_regions)
      RESIDENCY                 = join(",", var.residency)
      MAX_DELIVERY_ATTEMPTS     = tostring(var.max_delivery_attempts)
      EXPECTED_SPOT_PREEMPTIONS = tostring(var.expected_spot_preemptions)
      MAX_SPOT_PREEMPTIONS      = tostring(var.max_spot_preemptions)
      METADATA_SERVER_DETECTION = "assume-present"
    }
  }

  depends_on = [google_project_service.apis]
}

# Only the push identity may invoke a function (gen 2 functions are Cloud
# Run services).
resource "google_cloud_run_service_iam_member" "push_invoker" {
  for_each = local.functions

  project  = var.project_id
  location = var.region
  service  = google_cloudfunctions2_function.functions[each.key].service_config[0].service
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.push_invoker.email}"
}

# Roles that exist only at project level (Vertex AI, Workflows, Quotas).
resource "google_project_iam_member" "function_project_roles" {
  for_each = local.function_project_roles

  project = var.project_id
  role    = each.value.role
  member  = "serviceAccount:${google_service_account.functions[each.value.function].email}"
}

# Launch and resume create CustomJobs that run as the training account.
resource "google_service_account_iam_member" "acts_as_trainer" {
  for_each = { for name, fn in local.functions : name => fn if fn.acts_as_trainer }

  service_account_id = google_service_account.training.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.functions[each.key].email}"
}

# The identity of the training containers: it reads and writes
# checkpoints and nothing else.
resource "google_service_account" "training" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-training"
  display_name = "Carbon scheduler training jobs"
  description  = "Runs Vertex AI CustomJobs; reads and writes their checkpoints."
}
