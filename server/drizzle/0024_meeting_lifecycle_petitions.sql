CREATE TABLE `meeting_settings` (
	`village_id` bigint unsigned NOT NULL,
	`representative_notice_days` smallint unsigned NOT NULL,
	`start_grace_minutes` smallint unsigned NOT NULL,
	`petition_answer_days` smallint unsigned NOT NULL,
	`updated_by` bigint unsigned NOT NULL,
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `meeting_settings_village_id` PRIMARY KEY(`village_id`)
);
--> statement-breakpoint
CREATE TABLE `petition_signatures` (
	`petition_id` bigint unsigned NOT NULL,
	`person_id` bigint unsigned NOT NULL,
	`user_id` bigint unsigned,
	`recorded_by` bigint unsigned,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `petition_signatures_pk` PRIMARY KEY(`petition_id`,`person_id`),
	CONSTRAINT `petition_signatures_who_ck` CHECK((`petition_signatures`.`user_id` IS NULL) <> (`petition_signatures`.`recorded_by` IS NULL))
);
--> statement-breakpoint
CREATE TABLE `petitions` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`village_id` bigint unsigned NOT NULL,
	`kind` enum('villager_meeting','representative_meeting') NOT NULL,
	`title` varchar(100) NOT NULL,
	`reason` text NOT NULL,
	`topic_id` bigint unsigned,
	`state` enum('open','succeeded','answered') NOT NULL DEFAULT 'open',
	`signatures` int unsigned NOT NULL DEFAULT 0,
	`succeeded_at` datetime(3),
	`answer_due_at` datetime(3),
	`meeting_id` bigint unsigned,
	`created_by` bigint unsigned NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `petitions_id` PRIMARY KEY(`id`),
	CONSTRAINT `petitions_topic_uq` UNIQUE(`topic_id`)
);
--> statement-breakpoint
ALTER TABLE `meetings` MODIFY COLUMN `state` enum('draft','announced','postponed','in_session','closed','published','cancelled') NOT NULL DEFAULT 'draft';--> statement-breakpoint
ALTER TABLE `meetings` ADD `urgent_reason` varchar(200);--> statement-breakpoint
ALTER TABLE `meetings` ADD `postponed_from` datetime(3);--> statement-breakpoint
ALTER TABLE `meetings` ADD `change_reason` varchar(200);--> statement-breakpoint
ALTER TABLE `meetings` ADD `reminded_day_at` datetime(3);--> statement-breakpoint
ALTER TABLE `meetings` ADD `reminded_hour_at` datetime(3);--> statement-breakpoint
ALTER TABLE `meeting_settings` ADD CONSTRAINT `meeting_settings_village_fk` FOREIGN KEY (`village_id`) REFERENCES `villages`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `meeting_settings` ADD CONSTRAINT `meeting_settings_by_fk` FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `petition_signatures` ADD CONSTRAINT `petition_signatures_petition_fk` FOREIGN KEY (`petition_id`) REFERENCES `petitions`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `petition_signatures` ADD CONSTRAINT `petition_signatures_person_fk` FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `petition_signatures` ADD CONSTRAINT `petition_signatures_user_fk` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `petition_signatures` ADD CONSTRAINT `petition_signatures_recorded_by_fk` FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `petitions` ADD CONSTRAINT `petitions_village_fk` FOREIGN KEY (`village_id`) REFERENCES `villages`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `petitions` ADD CONSTRAINT `petitions_topic_fk` FOREIGN KEY (`topic_id`) REFERENCES `topics`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `petitions` ADD CONSTRAINT `petitions_meeting_fk` FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `petitions` ADD CONSTRAINT `petitions_created_by_fk` FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `petitions_village_state_idx` ON `petitions` (`village_id`,`state`);--> statement-breakpoint
CREATE INDEX `petitions_due_idx` ON `petitions` (`state`,`answer_due_at`);--> statement-breakpoint
CREATE INDEX `meetings_state_start_idx` ON `meetings` (`state`,`starts_at`);