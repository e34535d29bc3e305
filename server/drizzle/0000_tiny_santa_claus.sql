CREATE TABLE `audit_log` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`village_id` bigint unsigned,
	`actor_user_id` bigint unsigned,
	`action` varchar(64) NOT NULL,
	`entity` varchar(32) NOT NULL,
	`entity_id` bigint unsigned NOT NULL,
	`data` json,
	`request_id` varchar(64),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `audit_log_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `grids` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`village_id` bigint unsigned NOT NULL,
	`name` varchar(64) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `grids_id` PRIMARY KEY(`id`),
	CONSTRAINT `grids_village_name_uq` UNIQUE(`village_id`,`name`)
);
--> statement-breakpoint
CREATE TABLE `households` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`village_id` bigint unsigned NOT NULL,
	`grid_id` bigint unsigned,
	`number` varchar(32) NOT NULL,
	`address` varchar(200) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `households_id` PRIMARY KEY(`id`),
	CONSTRAINT `households_village_number_uq` UNIQUE(`village_id`,`number`)
);
--> statement-breakpoint
CREATE TABLE `membership_roles` (
	`membership_id` bigint unsigned NOT NULL,
	`role` enum('resident','volunteer','grid_worker','committee','town_admin') NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `membership_roles_pk` PRIMARY KEY(`membership_id`,`role`)
);
--> statement-breakpoint
CREATE TABLE `memberships` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`user_id` bigint unsigned NOT NULL,
	`village_id` bigint unsigned NOT NULL,
	`real_name` varchar(20) NOT NULL,
	`household_address` varchar(100) NOT NULL,
	`household_id` bigint unsigned,
	`birth_year` smallint unsigned NOT NULL,
	`status` enum('pending','verified','rejected') NOT NULL DEFAULT 'pending',
	`representative` boolean NOT NULL DEFAULT false,
	`reject_reason` varchar(200),
	`applied_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`decided_at` datetime(3),
	`decided_by` bigint unsigned,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `memberships_id` PRIMARY KEY(`id`),
	CONSTRAINT `memberships_user_village_uq` UNIQUE(`user_id`,`village_id`),
	CONSTRAINT `memberships_decision_ck` CHECK((`memberships`.`status` = 'pending') = (`memberships`.`decided_at` IS NULL)),
	CONSTRAINT `memberships_reject_reason_ck` CHECK((`memberships`.`status` = 'rejected') = (`memberships`.`reject_reason` IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE `towns` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`code` varchar(32) NOT NULL,
	`name` varchar(64) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `towns_id` PRIMARY KEY(`id`),
	CONSTRAINT `towns_code_uq` UNIQUE(`code`)
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`openid` varchar(64) NOT NULL,
	`unionid` varchar(64),
	`current_village_id` bigint unsigned,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`last_login_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `users_id` PRIMARY KEY(`id`),
	CONSTRAINT `users_openid_uq` UNIQUE(`openid`)
);
--> statement-breakpoint
CREATE TABLE `villages` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`town_id` bigint unsigned NOT NULL,
	`code` varchar(32) NOT NULL,
	`name` varchar(64) NOT NULL,
	`kind` enum('rural','urban') NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `villages_id` PRIMARY KEY(`id`),
	CONSTRAINT `villages_code_uq` UNIQUE(`code`)
);
--> statement-breakpoint
ALTER TABLE `grids` ADD CONSTRAINT `grids_village_fk` FOREIGN KEY (`village_id`) REFERENCES `villages`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `households` ADD CONSTRAINT `households_village_fk` FOREIGN KEY (`village_id`) REFERENCES `villages`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `households` ADD CONSTRAINT `households_grid_fk` FOREIGN KEY (`grid_id`) REFERENCES `grids`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `membership_roles` ADD CONSTRAINT `membership_roles_membership_fk` FOREIGN KEY (`membership_id`) REFERENCES `memberships`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `memberships` ADD CONSTRAINT `memberships_user_fk` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `memberships` ADD CONSTRAINT `memberships_village_fk` FOREIGN KEY (`village_id`) REFERENCES `villages`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `memberships` ADD CONSTRAINT `memberships_household_fk` FOREIGN KEY (`household_id`) REFERENCES `households`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `memberships` ADD CONSTRAINT `memberships_decided_by_fk` FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `users` ADD CONSTRAINT `users_current_village_fk` FOREIGN KEY (`current_village_id`) REFERENCES `villages`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `villages` ADD CONSTRAINT `villages_town_fk` FOREIGN KEY (`town_id`) REFERENCES `towns`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `audit_log_entity_idx` ON `audit_log` (`entity`,`entity_id`);--> statement-breakpoint
CREATE INDEX `audit_log_village_idx` ON `audit_log` (`village_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `memberships_village_status_idx` ON `memberships` (`village_id`,`status`);