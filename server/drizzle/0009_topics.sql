CREATE TABLE `topic_supports` (
	`topic_id` bigint unsigned NOT NULL,
	`person_id` bigint unsigned NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `topic_supports_pk` PRIMARY KEY(`topic_id`,`person_id`)
);
--> statement-breakpoint
CREATE TABLE `topics` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`village_id` bigint unsigned NOT NULL,
	`title` varchar(60) NOT NULL,
	`description` text NOT NULL,
	`photos` json NOT NULL,
	`proposer_person_id` bigint unsigned NOT NULL,
	`proposer_user_id` bigint unsigned NOT NULL,
	`held` boolean NOT NULL,
	`state` enum('open','accepted','merged','declined') NOT NULL DEFAULT 'open',
	`supporters` int unsigned NOT NULL DEFAULT 1,
	`decline_reason` varchar(200),
	`merged_into_id` bigint unsigned,
	`agenda_item_id` bigint unsigned,
	`decided_by` bigint unsigned,
	`decided_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `topics_id` PRIMARY KEY(`id`),
	CONSTRAINT `topics_decline_reason_ck` CHECK((`topics`.`state` = 'declined') = (`topics`.`decline_reason` IS NOT NULL))
);
--> statement-breakpoint
ALTER TABLE `topic_supports` ADD CONSTRAINT `topic_supports_topic_fk` FOREIGN KEY (`topic_id`) REFERENCES `topics`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `topic_supports` ADD CONSTRAINT `topic_supports_person_fk` FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `topics` ADD CONSTRAINT `topics_village_fk` FOREIGN KEY (`village_id`) REFERENCES `villages`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `topics` ADD CONSTRAINT `topics_proposer_person_fk` FOREIGN KEY (`proposer_person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `topics` ADD CONSTRAINT `topics_proposer_user_fk` FOREIGN KEY (`proposer_user_id`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `topics` ADD CONSTRAINT `topics_agenda_item_fk` FOREIGN KEY (`agenda_item_id`) REFERENCES `agenda_items`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `topics_village_state_idx` ON `topics` (`village_id`,`state`,`supporters`);