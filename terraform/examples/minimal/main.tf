# The smallest deployment: defaults for everything but the project and who
# may submit jobs.

variable "project_id" {
  description = "The Google Cloud project to deploy into."
  type        = string
}

variable "job_publishers" {
  description = "Principals allowed to submit jobs, e.g. group:ml-team@example.com."
  type        = list(string)
}

provider "google" {
  project = var.project_id
}

module "carbon_scheduler" {
  source = "../.."

  project_id     = var.project_id
  job_publishers = var.job_publishers
}

output "job_requests_topic" {
  value = module.carbon_scheduler.job_requests_topic
}

output "intake_bucket" {
  value = module.carbon_scheduler.intake_bucket
}
