CREATE TABLE `agenda_comments` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`meeting_id` bigint unsigned NOT NULL,
	`agenda_item_id` bigint unsigned NOT NULL,
	`person_id` bigint unsigned NOT NULL,
	`user_id` bigint unsigned NOT NULL,
	`body` varchar(500) NOT NULL,
	`held` boolean NOT NULL,
	`hidden_reason` varchar(200),
	`hidden_by` bigint unsigned,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `agenda_comments_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
ALTER TABLE `agenda_comments` ADD CONSTRAINT `agenda_comments_item_fk` FOREIGN KEY (`agenda_item_id`) REFERENCES `agenda_items`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `agenda_comments` ADD CONSTRAINT `agenda_comments_meeting_fk` FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `agenda_comments` ADD CONSTRAINT `agenda_comments_person_fk` FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `agenda_comments` ADD CONSTRAINT `agenda_comments_user_fk` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `agenda_comments_meeting_idx` ON `agenda_comments` (`meeting_id`,`id`);