pub mod cve_1;
