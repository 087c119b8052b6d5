variable "project_id" {
  description = "The Google Cloud project the scheduler is deployed into."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a Google Cloud project id: 6 to 30 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "region" {
  description = "Region of the control plane: functions, workflow, scheduler job, intake and state buckets."
  type        = string
  default     = "europe-west1"

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.region))
    error_message = "region must be a Google Cloud region id such as europe-west1."
  }
}

variable "training_regions" {
  description = "Regions where training jobs may run. Each gets a checkpoint bucket. Jobs are planned only among these (and further narrowed by each job's residency)."
  type        = list(string)
  default     = ["europe-west1", "europe-west4", "europe-north1", "us-central1", "us-east4", "northamerica-northeast1"]

  validation {
    condition     = length(var.training_regions) > 0 && alltrue([for r in var.training_regions : can(regex("^[a-z]+-[a-z]+[0-9]+$", r))])
    error_message = "training_regions must list at least one Google Cloud region id such as europe-west4."
  }
}

variable "residency" {
  description = "Residency groups jobs are allowed to use (any, EU, US, ...). Functions reject a job whose residency falls outside these."
  type        = list(string)
  default     = ["any"]

  validation {
    condition     = length(var.residency) > 0 && alltrue([for r in var.residency : can(regex("^(EU|US|UK|any|[A-Z]{2})$", r))])
    error_message = "residency entries must be EU, US, UK, any, or an ISO 3166 country code such as CH (the job request's rule)."
  }
}

variable "name_prefix" {
  description = "Prefix of every resource name, so several deployments can share a project."
  type        = string
  default     = "carbon"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,11}$", var.name_prefix))
    error_message = "name_prefix must be 1 to 12 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "function_source_dir" {
  description = "Folder holding the built function source (created by `npm run package:functions`)."
  type        = string
  default     = null
}

variable "job_publishers" {
  description = "Principals allowed to submit and control jobs (publish to job-requests and job-commands, upload to the intake bucket), e.g. group:ml-team@example.com. Never public."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for p in var.job_publishers : can(regex("^(user|group|serviceAccount|domain|principal|principalSet):", p))])
    error_message = "job_publishers entries must be IAM principals such as group:ml-team@example.com (user:, group:, serviceAccount:, domain:, principal: or principalSet:)."
  }

  validation {
    condition     = alltrue([for p in var.job_publishers : !contains(["allUsers", "allAuthenticatedUsers"], p)])
    error_message = "job_publishers must not be public: allUsers and allAuthenticatedUsers are refused."
  }
}

variable "poll_interval_minutes" {
  description = "How often Cloud Scheduler publishes intensity-polls (forecast refresh and reconciliation)."
  type        = number
  default     = 30

  validation {
    condition     = var.poll_interval_minutes >= 5 && var.poll_interval_minutes <= 60 && floor(var.poll_interval_minutes) == var.poll_interval_minutes
    error_message = "poll_interval_minutes must be a whole number from 5 to 60."
  }
}

variable "carbon_budgets_kg" {
  description = "Monthly carbon budget per project (kgCO2e), set by the operator; jobs that would exceed it are rejected or deferred."
  type        = map(number)
  default     = {}

  validation {
    condition     = alltrue([for v in values(var.carbon_budgets_kg) : v > 0])
    error_message = "carbon_budgets_kg values must be more than 0 kilograms (leave a project out for no budget)."
  }
}

variable "over_budget_action" {
  description = "What happens to a job that would exceed its project's budget: reject or defer."
  type        = string
  default     = "reject"

  validation {
    condition     = contains(["reject", "defer"], var.over_budget_action)
    error_message = "over_budget_action must be reject or defer."
  }
}

variable "budget_alert_fraction" {
  description = "Alert when a project's monthly emissions reach this fraction of its budget."
  type        = number
  default     = 0.8

  validation {
    condition     = var.budget_alert_fraction > 0 && var.budget_alert_fraction <= 1
    error_message = "budget_alert_fraction must be above 0 and at most 1."
  }
}

variable "signal_providers" {
  description = "Carbon signal fallback chain, first choice first."
  type        = list(string)
  default     = ["electricitymaps", "watttime", "static"]

  validation {
    condition     = length(var.signal_providers) > 0 && alltrue([for p in var.signal_providers : contains(["electricitymaps", "watttime", "uk", "static"], p)])
    error_message = "signal_providers entries must be electricitymaps, watttime, uk or static."
  }
}

variable "dataset_location" {
  description = "BigQuery dataset location (a multi-region such as EU or US, or a region)."
  type        = string
  default     = "EU"
}

variable "max_delivery_attempts" {
  description = "Deliveries of a message before it moves to the dead-letter topic."
  type        = number
  default     = 5

  validation {
    condition     = var.max_delivery_attempts >= 5 && var.max_delivery_attempts <= 100
    error_message = "max_delivery_attempts must be from 5 to 100 (the Pub/Sub limits)."
  }
}

variable "cache_retention_days" {
  description = "Days after which cached forecasts are deleted from the state bucket."
  type        = number
  default     = 7

  validation {
    condition     = var.cache_retention_days >= 1
    error_message = "cache_retention_days must be at least 1."
  }
}

variable "superseded_checkpoint_retention_days" {
  description = "Days a superseded (noncurrent) checkpoint object version is kept before deletion. The current version is never removed by a rule."
  type        = number
  default     = 7

  validation {
    condition     = var.superseded_checkpoint_retention_days >= 1
    error_message = "superseded_checkpoint_retention_days must be at least 1."
  }
}

variable "function_max_instances" {
  description = "Upper bound on instances per function."
  type        = number
  default     = 10

  validation {
    condition     = var.function_max_instances >= 1 && var.function_max_instances <= 1000
    error_message = "function_max_instances must be from 1 to 1000."
  }
}

variable "alert_notification_channels" {
  description = "Monitoring notification channel ids for the alert policies (empty: alerts are recorded, nobody is notified)."
  type        = list(string)
  default     = []
}

variable "labels" {
  description = "Labels added to every resource that takes labels."
  type        = map(string)
  default     = {}
}

variable "expected_spot_preemptions" {
  description = "Preemptions a SPOT job's plan reserves deadline slack for (restart overhead plus half a checkpoint interval each); a planning assumption, not a measured rate."
  type        = number
  default     = 1

  validation {
    condition     = var.expected_spot_preemptions >= 0 && var.expected_spot_preemptions <= 100 && floor(var.expected_spot_preemptions) == var.expected_spot_preemptions
    error_message = "expected_spot_preemptions must be a whole number from 0 to 100."
  }
}

variable "max_spot_preemptions" {
  description = "Preemptions a SPOT job survives (each resumes from its last checkpoint) before it ends failed with the reason."
  type        = number
  default     = 5

  validation {
    condition     = var.max_spot_preemptions >= 0 && var.max_spot_preemptions <= 100 && floor(var.max_spot_preemptions) == var.max_spot_preemptions
    error_message = "max_spot_preemptions must be a whole number from 0 to 100."
  }
}
