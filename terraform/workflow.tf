resource "google_service_account" "workflow" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-lifecycle"
  display_name = "Carbon scheduler lifecycle workflow"
  description  = "Runs workflows/lifecycle.yaml; publishes the request topics."
}

# The lifecycle of every job: plan, wait, train, monitor, record. The same
# file the local runner executes.
resource "google_workflows_workflow" "lifecycle" {
  project         = var.project_id
  region          = var.region
  name            = "${var.name_prefix}-lifecycle"
  description     = "Carbon-aware training job lifecycle."
  service_account = google_service_account.workflow.id
  call_log_level  = "LOG_ERRORS_ONLY"
  labels          = local.labels
  source_contents = file("${path.module}/../workflows/lifecycle.yaml")

  depends_on = [google_project_service.apis]
}

resource "google_project_iam_member" "workflow_log_writer" {
  project = var.project_id
  role    = "roles/logging.logWriter"
  member  = "serviceAccount:${google_service_account.workflow.email}"
}
