CREATE TABLE `audit_chain_heads` (
	`chain` bigint unsigned NOT NULL,
	`last_id` bigint unsigned,
	`last_hash` char(64) NOT NULL,
	CONSTRAINT `audit_chain_heads_chain` PRIMARY KEY(`chain`)
);
--> statement-breakpoint
ALTER TABLE `audit_log` ADD `chain` bigint unsigned DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `audit_log` ADD `prev_hash` char(64);--> statement-breakpoint
ALTER TABLE `audit_log` ADD `hash` char(64);--> statement-breakpoint
ALTER TABLE `point_accounts` ADD `chain_hash` char(64) DEFAULT '0000000000000000000000000000000000000000000000000000000000000000' NOT NULL;--> statement-breakpoint
ALTER TABLE `point_entries` ADD `prev_hash` char(64);--> statement-breakpoint
ALTER TABLE `point_entries` ADD `hash` char(64);--> statement-breakpoint
CREATE INDEX `audit_log_chain_idx` ON `audit_log` (`chain`,`id`);--> statement-breakpoint
INSERT IGNORE INTO `audit_chain_heads` (`chain`, `last_hash`) SELECT `id`, '0000000000000000000000000000000000000000000000000000000000000000' FROM `villages` UNION ALL SELECT 0, '0000000000000000000000000000000000000000000000000000000000000000';
