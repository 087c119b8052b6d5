# Jobs, their data and every byte of state stay in the European Union:
# training regions, control plane and ledger are all EU, and jobs must
# declare EU residency.

variable "project_id" {
  description = "The Google Cloud project to deploy into."
  type        = string
}

variable "job_publishers" {
  description = "Principals allowed to submit jobs, e.g. group:ml-team@example.com."
  type        = list(string)
}

variable "carbon_budgets_kg" {
  description = "Monthly carbon budget per project, in kgCO2e."
  type        = map(number)
  default     = {}
}

provider "google" {
  project = var.project_id
}

module "carbon_scheduler" {
  source = "../.."

  project_id       = var.project_id
  region           = "europe-west1"
  training_regions = ["europe-west1", "europe-west4", "europe-north1", "europe-southwest1", "europe-west9"]
  residency        = ["EU"]
  dataset_location = "EU"
  job_publishers   = var.job_publishers

  carbon_budgets_kg  = var.carbon_budgets_kg
  over_budget_action = "defer"
}

output "job_requests_topic" {
  value = module.carbon_scheduler.job_requests_topic
}
