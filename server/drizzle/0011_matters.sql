CREATE TABLE `matter_ratings` (
	`matter_id` bigint unsigned NOT NULL,
	`person_id` bigint unsigned NOT NULL,
	`rating` enum('satisfied','basically_satisfied','unsatisfied') NOT NULL,
	`comment` varchar(300),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `matter_ratings_pk` PRIMARY KEY(`matter_id`,`person_id`)
);
--> statement-breakpoint
CREATE TABLE `matter_stages` (
	`matter_id` bigint unsigned NOT NULL,
	`stage` enum('proposal','consultation','review','resolution','resolution_public','result_public') NOT NULL,
	`held_on` varchar(10) NOT NULL,
	`meeting_id` bigint unsigned,
	`outcome` varchar(1000) NOT NULL,
	`document` varchar(200),
	`recorded_by` bigint unsigned NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `matter_stages_pk` PRIMARY KEY(`matter_id`,`stage`)
);
--> statement-breakpoint
CREATE TABLE `matters` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`village_id` bigint unsigned NOT NULL,
	`title` varchar(100) NOT NULL,
	`description` text NOT NULL,
	`created_by` bigint unsigned NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `matters_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
ALTER TABLE `matter_ratings` ADD CONSTRAINT `matter_ratings_matter_fk` FOREIGN KEY (`matter_id`) REFERENCES `matters`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `matter_ratings` ADD CONSTRAINT `matter_ratings_person_fk` FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `matter_stages` ADD CONSTRAINT `matter_stages_matter_fk` FOREIGN KEY (`matter_id`) REFERENCES `matters`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `matter_stages` ADD CONSTRAINT `matter_stages_meeting_fk` FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `matters` ADD CONSTRAINT `matters_village_fk` FOREIGN KEY (`village_id`) REFERENCES `villages`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `matters` ADD CONSTRAINT `matters_created_by_fk` FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `matters_village_idx` ON `matters` (`village_id`,`id`);