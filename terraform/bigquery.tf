# The ledger. Table schemas and layouts are generated from
# shared/ledger/schema.ts into schemas/ (`npm run export:bigquery-schema`),
# and a test checks they are current: the code defines them once.
locals {
  ledger_tables = ["jobs", "plans", "segments", "footprints", "intensity_samples", "commands"]

  # Views generated beside the schemas (schemas/views/<name>.sql), with
  # `$${dataset}` standing for the dataset's full id.
  ledger_views = {
    for file in fileset("${path.module}/schemas/views", "*.sql") :
    trimsuffix(file, ".sql") => file("${path.module}/schemas/views/${file}")
  }
}

resource "google_bigquery_dataset" "ledger" {
  project       = var.project_id
  dataset_id    = replace("${var.name_prefix}_scheduler_ledger", "-", "_")
  friendly_name = "Carbon scheduler ledger"
  description   = "Jobs, plans, segments, footprints, intensity samples and operator commands of the carbon-aware training scheduler."
  location      = var.dataset_location
  labels        = local.labels

  depends_on = [google_project_service.apis]
}

resource "google_bigquery_table" "ledger" {
  for_each = toset(local.ledger_tables)

  project             = var.project_id
  dataset_id          = google_bigquery_dataset.ledger.dataset_id
  table_id            = each.value
  description         = jsondecode(file("${path.module}/schemas/${each.value}.layout.json")).description
  labels              = local.labels
  deletion_protection = true
  schema              = file("${path.module}/schemas/${each.value}.json")

  time_partitioning {
    type  = "DAY"
    field = jsondecode(file("${path.module}/schemas/${each.value}.layout.json")).timePartitioning.field
  }

  clustering = jsondecode(file("${path.module}/schemas/${each.value}.layout.json")).clustering
}

resource "google_bigquery_table" "views" {
  for_each = local.ledger_views

  project             = var.project_id
  dataset_id          = google_bigquery_dataset.ledger.dataset_id
  table_id            = each.key
  labels              = local.labels
  deletion_protection = false

  view {
    query          = replace(each.value, "$${dataset}", "${var.project_id}.${google_bigquery_dataset.ledger.dataset_id}")
    use_legacy_sql = false
  }

  depends_on = [google_bigquery_table.ledger]
}

resource "google_bigquery_dataset_iam_member" "function_writers" {
  for_each = { for name, fn in local.functions : name => fn if fn.dataset != "" }

  project    = var.project_id
  dataset_id = google_bigquery_dataset.ledger.dataset_id
  role       = each.value.dataset
  member     = "serviceAccount:${google_service_account.functions[each.key].email}"
}

# Running a query (the budget check and reports) needs job creation, which
# exists only at project level.
resource "google_project_iam_member" "ledger_query_users" {
  for_each = { for name, fn in local.functions : name => fn if fn.dataset != "" }

  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = "serviceAccount:${google_service_account.functions[each.key].email}"
}
