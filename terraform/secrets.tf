# Provider credentials. Created empty: values are added with
# `gcloud secrets versions add` (docs/deploy.md), so they never enter the
# Terraform state.
resource "google_secret_manager_secret" "provider" {
  for_each = local.secret_ids

  project   = var.project_id
  secret_id = "${var.name_prefix}-${each.key}"
  labels    = local.labels

  replication {
    auto {}
  }

  depends_on = [google_project_service.apis]
}

resource "google_secret_manager_secret_iam_member" "readers" {
  for_each = local.function_secret_access

  project   = var.project_id
  secret_id = google_secret_manager_secret.provider[each.value.secret].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.functions[each.value.function].email}"
}
