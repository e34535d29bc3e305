CREATE TABLE `notifications` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`user_id` bigint unsigned NOT NULL,
	`village_id` bigint unsigned NOT NULL,
	`report_id` bigint unsigned,
	`title` varchar(60) NOT NULL,
	`body` varchar(200) NOT NULL,
	`read_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `notifications_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `photos` (
	`key` char(64) NOT NULL,
	`uploaded_by` bigint unsigned NOT NULL,
	`attached_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `photos_key` PRIMARY KEY(`key`)
);
--> statement-breakpoint
CREATE TABLE `report_events` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`report_id` bigint unsigned NOT NULL,
	`action` varchar(16) NOT NULL,
	`from_state` enum('submitted','accepted','in_progress','resolved','closed','rejected','merged'),
	`to_state` enum('submitted','accepted','in_progress','resolved','closed','rejected','merged') NOT NULL,
	`note` varchar(500),
	`photos` json NOT NULL,
	`level` enum('grid','village','town'),
	`actor_user_id` bigint unsigned,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `report_events_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `report_settings` (
	`village_id` bigint unsigned NOT NULL,
	`categories` json NOT NULL,
	`deadlines` json NOT NULL,
	CONSTRAINT `report_settings_village_id` PRIMARY KEY(`village_id`)
);
--> statement-breakpoint
CREATE TABLE `report_supports` (
	`report_id` bigint unsigned NOT NULL,
	`user_id` bigint unsigned NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `report_supports_pk` PRIMARY KEY(`report_id`,`user_id`)
);
--> statement-breakpoint
CREATE TABLE `reports` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`village_id` bigint unsigned NOT NULL,
	`grid_id` bigint unsigned,
	`category` varchar(20) NOT NULL,
	`description` varchar(500) NOT NULL,
	`photos` json NOT NULL,
	`latitude` decimal(9,6),
	`longitude` decimal(9,6),
	`address` varchar(200),
	`urgency` enum('blue','orange','red') NOT NULL,
	`level` enum('grid','village','town') NOT NULL DEFAULT 'grid',
	`state` enum('submitted','accepted','in_progress','resolved','closed','rejected','merged') NOT NULL DEFAULT 'submitted',
	`anonymous` boolean NOT NULL DEFAULT false,
	`is_public` boolean NOT NULL,
	`reporter_person_id` bigint unsigned,
	`reporter_user_id` bigint unsigned,
	`filed_by` bigint unsigned NOT NULL,
	`assignee_user_id` bigint unsigned,
	`supports` int unsigned NOT NULL DEFAULT 0,
	`accept_due_at` datetime(3) NOT NULL,
	`resolve_due_at` datetime(3) NOT NULL,
	`escalate_at` datetime(3),
	`accepted_at` datetime(3),
	`resolved_at` datetime(3),
	`closed_at` datetime(3),
	`rating` enum('satisfied','basically_satisfied','unsatisfied'),
	`rating_comment` varchar(300),
	`merged_into_id` bigint unsigned,
	`idempotency_key` varchar(100) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `reports_id` PRIMARY KEY(`id`),
	CONSTRAINT `reports_key_uq` UNIQUE(`idempotency_key`),
	CONSTRAINT `reports_supports_ck` CHECK(`reports`.`supports` >= 0)
);
--> statement-breakpoint
ALTER TABLE `notifications` ADD CONSTRAINT `notifications_user_fk` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `report_events` ADD CONSTRAINT `report_events_report_fk` FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `report_settings` ADD CONSTRAINT `report_settings_village_fk` FOREIGN KEY (`village_id`) REFERENCES `villages`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `report_supports` ADD CONSTRAINT `report_supports_report_fk` FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `reports` ADD CONSTRAINT `reports_village_fk` FOREIGN KEY (`village_id`) REFERENCES `villages`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `reports` ADD CONSTRAINT `reports_grid_fk` FOREIGN KEY (`grid_id`) REFERENCES `grids`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `reports` ADD CONSTRAINT `reports_reporter_person_fk` FOREIGN KEY (`reporter_person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `reports` ADD CONSTRAINT `reports_reporter_user_fk` FOREIGN KEY (`reporter_user_id`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `reports` ADD CONSTRAINT `reports_filed_by_fk` FOREIGN KEY (`filed_by`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `reports` ADD CONSTRAINT `reports_assignee_fk` FOREIGN KEY (`assignee_user_id`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `notifications_user_idx` ON `notifications` (`user_id`,`id`);--> statement-breakpoint
CREATE INDEX `photos_unattached_idx` ON `photos` (`attached_at`,`created_at`);--> statement-breakpoint
CREATE INDEX `report_events_report_idx` ON `report_events` (`report_id`,`id`);--> statement-breakpoint
CREATE INDEX `reports_feed_idx` ON `reports` (`village_id`,`is_public`,`id`);--> statement-breakpoint
CREATE INDEX `reports_state_idx` ON `reports` (`village_id`,`state`,`id`);--> statement-breakpoint
CREATE INDEX `reports_category_idx` ON `reports` (`village_id`,`category`,`id`);--> statement-breakpoint
CREATE INDEX `reports_escalate_idx` ON `reports` (`escalate_at`);--> statement-breakpoint
CREATE INDEX `reports_assignee_idx` ON `reports` (`assignee_user_id`,`state`);--> statement-breakpoint
CREATE INDEX `reports_reporter_idx` ON `reports` (`reporter_user_id`,`id`);