output "topics" {
  description = "Topic ids by design name."
  value       = { for name, topic in google_pubsub_topic.topics : name => topic.id }
}

output "job_requests_topic" {
  description = "Publish job requests here."
  value       = google_pubsub_topic.topics["job-requests"].id
}

output "intake_bucket" {
  description = "Upload job files (JSON or YAML) here."
  value       = google_storage_bucket.intake.name
}

output "state_bucket" {
  description = "Forecast cache, job snapshots and idempotency records."
  value       = google_storage_bucket.state.name
}

output "checkpoint_buckets" {
  description = "Checkpoint bucket per training region."
  value       = { for region, bucket in google_storage_bucket.checkpoints : region => bucket.name }
}

output "function_uris" {
  description = "Function URIs (internal ingress: reached by Pub/Sub push only)."
  value       = { for name, fn in google_cloudfunctions2_function.functions : name => fn.service_config[0].uri }
}

output "workflow_id" {
  description = "The lifecycle workflow."
  value       = google_workflows_workflow.lifecycle.id
}

output "ledger_dataset" {
  description = "BigQuery dataset of the ledger."
  value       = "${var.project_id}.${google_bigquery_dataset.ledger.dataset_id}"
}

output "secrets" {
  description = "Secret ids to add versions to (values never pass through Terraform)."
  value       = { for name, secret in google_secret_manager_secret.provider : name => secret.secret_id }
}

output "training_service_account" {
  description = "Identity of the training containers."
  value       = google_service_account.training.email
}
