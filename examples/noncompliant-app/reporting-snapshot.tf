# A manual snapshot of the reporting database taken before a migration and
# shared "with the vendor" by making it public: anyone with an AWS account
# can restore it, PHI included.
resource "aws_db_snapshot" "reporting_before_migration" {
  db_instance_identifier = "telehealth-reporting"
  db_snapshot_identifier = "reporting-before-migration"
  shared_accounts        = ["all"]
}
