CREATE TABLE `point_accounts` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`village_id` bigint unsigned NOT NULL,
	`kind` enum('person','issuance','shop','pending') NOT NULL,
	`person_id` bigint unsigned,
	`system_key` varchar(16),
	`balance` bigint NOT NULL DEFAULT 0,
	`lifetime_earned` bigint unsigned NOT NULL DEFAULT 0,
	`lifetime_penalty` bigint unsigned NOT NULL DEFAULT 0,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `point_accounts_id` PRIMARY KEY(`id`),
	CONSTRAINT `point_accounts_person_uq` UNIQUE(`person_id`),
	CONSTRAINT `point_accounts_system_uq` UNIQUE(`village_id`,`system_key`),
	CONSTRAINT `point_accounts_owner_ck` CHECK((`point_accounts`.`kind` = 'person') = (`point_accounts`.`person_id` IS NOT NULL) AND (`point_accounts`.`kind` = 'person') = (`point_accounts`.`system_key` IS NULL)),
	CONSTRAINT `point_accounts_person_balance_ck` CHECK(`point_accounts`.`kind` <> 'person' OR `point_accounts`.`balance` >= 0)
);
--> statement-breakpoint
CREATE TABLE `point_approvals` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`village_id` bigint unsigned NOT NULL,
	`person_id` bigint unsigned NOT NULL,
	`rule_id` bigint unsigned NOT NULL,
	`amount` int unsigned NOT NULL,
	`reason` varchar(200) NOT NULL,
	`evidence` json,
	`status` enum('pending','approved','rejected') NOT NULL DEFAULT 'pending',
	`idempotency_key` varchar(100) NOT NULL,
	`created_by` bigint unsigned NOT NULL,
	`decided_by` bigint unsigned,
	`entry_id` bigint unsigned,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `point_approvals_id` PRIMARY KEY(`id`),
	CONSTRAINT `point_approvals_key_uq` UNIQUE(`idempotency_key`),
	CONSTRAINT `point_approvals_checker_ck` CHECK(`point_approvals`.`decided_by` IS NULL OR `point_approvals`.`decided_by` <> `point_approvals`.`created_by`)
);
--> statement-breakpoint
CREATE TABLE `point_entries` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`village_id` bigint unsigned NOT NULL,
	`from_account_id` bigint unsigned NOT NULL,
	`to_account_id` bigint unsigned NOT NULL,
	`amount` int unsigned NOT NULL,
	`kind` enum('earn','redeem','refund','penalty','transfer','expire','reversal') NOT NULL,
	`reason` varchar(200) NOT NULL,
	`rule_id` bigint unsigned,
	`rule_version` smallint unsigned,
	`ref_type` varchar(32),
	`ref_id` bigint unsigned,
	`created_by` bigint unsigned,
	`approved_by` bigint unsigned,
	`idempotency_key` varchar(100) NOT NULL,
	`payload_hash` char(64) NOT NULL,
	`reverses_entry_id` bigint unsigned,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `point_entries_id` PRIMARY KEY(`id`),
	CONSTRAINT `point_entries_key_uq` UNIQUE(`idempotency_key`),
	CONSTRAINT `point_entries_reverses_uq` UNIQUE(`reverses_entry_id`),
	CONSTRAINT `point_entries_amount_ck` CHECK(`point_entries`.`amount` > 0),
	CONSTRAINT `point_entries_accounts_ck` CHECK(`point_entries`.`from_account_id` <> `point_entries`.`to_account_id`),
	CONSTRAINT `point_entries_checker_ck` CHECK(`point_entries`.`approved_by` IS NULL OR `point_entries`.`created_by` IS NULL OR `point_entries`.`approved_by` <> `point_entries`.`created_by`)
);
--> statement-breakpoint
CREATE TABLE `point_rules` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`village_id` bigint unsigned NOT NULL,
	`code` varchar(32) NOT NULL,
	`version` smallint unsigned NOT NULL,
	`name` varchar(64) NOT NULL,
	`kind` enum('earn','penalty') NOT NULL,
	`points` int unsigned NOT NULL,
	`cap_per_day` int unsigned,
	`cap_per_year` int unsigned,
	`approval_threshold` int unsigned,
	`active` boolean NOT NULL DEFAULT true,
	`created_by` bigint unsigned,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `point_rules_id` PRIMARY KEY(`id`),
	CONSTRAINT `point_rules_version_uq` UNIQUE(`village_id`,`code`,`version`),
	CONSTRAINT `point_rules_points_ck` CHECK(`point_rules`.`points` > 0)
);
--> statement-breakpoint
CREATE TABLE `point_settings` (
	`village_id` bigint unsigned NOT NULL,
	`star_thresholds` json NOT NULL,
	`order_expiry_days` smallint unsigned NOT NULL DEFAULT 14,
	CONSTRAINT `point_settings_village_id` PRIMARY KEY(`village_id`)
);
--> statement-breakpoint
ALTER TABLE `point_accounts` ADD CONSTRAINT `point_accounts_village_fk` FOREIGN KEY (`village_id`) REFERENCES `villages`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `point_accounts` ADD CONSTRAINT `point_accounts_person_fk` FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `point_approvals` ADD CONSTRAINT `point_approvals_person_fk` FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `point_approvals` ADD CONSTRAINT `point_approvals_rule_fk` FOREIGN KEY (`rule_id`) REFERENCES `point_rules`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `point_entries` ADD CONSTRAINT `point_entries_village_fk` FOREIGN KEY (`village_id`) REFERENCES `villages`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `point_entries` ADD CONSTRAINT `point_entries_from_fk` FOREIGN KEY (`from_account_id`) REFERENCES `point_accounts`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `point_entries` ADD CONSTRAINT `point_entries_to_fk` FOREIGN KEY (`to_account_id`) REFERENCES `point_accounts`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `point_entries` ADD CONSTRAINT `point_entries_rule_fk` FOREIGN KEY (`rule_id`) REFERENCES `point_rules`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `point_entries` ADD CONSTRAINT `point_entries_created_by_fk` FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `point_entries` ADD CONSTRAINT `point_entries_approved_by_fk` FOREIGN KEY (`approved_by`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `point_rules` ADD CONSTRAINT `point_rules_village_fk` FOREIGN KEY (`village_id`) REFERENCES `villages`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `point_approvals_village_status_idx` ON `point_approvals` (`village_id`,`status`);--> statement-breakpoint
CREATE INDEX `point_entries_from_idx` ON `point_entries` (`from_account_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `point_entries_to_idx` ON `point_entries` (`to_account_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `point_entries_rule_idx` ON `point_entries` (`rule_id`,`created_at`);