CREATE TABLE `agenda_items` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`meeting_id` bigint unsigned NOT NULL,
	`position` smallint unsigned NOT NULL,
	`title` varchar(100) NOT NULL,
	`description` text NOT NULL,
	CONSTRAINT `agenda_items_id` PRIMARY KEY(`id`),
	CONSTRAINT `agenda_items_position_uq` UNIQUE(`meeting_id`,`position`)
);
--> statement-breakpoint
CREATE TABLE `ballot_choices` (
	`vote_id` bigint unsigned NOT NULL,
	`option_id` bigint unsigned NOT NULL,
	`receipt_hash` char(64) NOT NULL,
	CONSTRAINT `ballot_choices_pk` PRIMARY KEY(`vote_id`,`option_id`,`receipt_hash`)
);
--> statement-breakpoint
CREATE TABLE `ballots` (
	`receipt_hash` char(64) NOT NULL,
	`vote_id` bigint unsigned NOT NULL,
	`person_id` bigint unsigned,
	CONSTRAINT `ballots_receipt_hash` PRIMARY KEY(`receipt_hash`)
);
--> statement-breakpoint
CREATE TABLE `meeting_attendance` (
	`meeting_id` bigint unsigned NOT NULL,
	`person_id` bigint unsigned NOT NULL,
	`recorded_by` bigint unsigned NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `meeting_attendance_pk` PRIMARY KEY(`meeting_id`,`person_id`)
);
--> statement-breakpoint
CREATE TABLE `meeting_roll` (
	`meeting_id` bigint unsigned NOT NULL,
	`person_id` bigint unsigned NOT NULL,
	`household_id` bigint unsigned NOT NULL,
	`adult` boolean NOT NULL,
	`representative` boolean NOT NULL,
	CONSTRAINT `meeting_roll_pk` PRIMARY KEY(`meeting_id`,`person_id`)
);
--> statement-breakpoint
CREATE TABLE `meetings` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`village_id` bigint unsigned NOT NULL,
	`kind` enum('villager_meeting','representative_meeting','deliberation') NOT NULL,
	`title` varchar(100) NOT NULL,
	`description` text NOT NULL,
	`place` varchar(100) NOT NULL,
	`starts_at` datetime(3) NOT NULL,
	`online` boolean NOT NULL,
	`state` enum('draft','announced','in_session','closed','published') NOT NULL DEFAULT 'draft',
	`announced_at` datetime(3),
	`roll_date` varchar(10),
	`created_by` bigint unsigned NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `meetings_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `offline_tallies` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`vote_id` bigint unsigned NOT NULL,
	`ballots` int unsigned NOT NULL,
	`counts` json NOT NULL,
	`counter_membership_id` bigint unsigned NOT NULL,
	`scrutineer_membership_id` bigint unsigned NOT NULL,
	`counter_confirmed_at` datetime(3),
	`scrutineer_confirmed_at` datetime(3),
	`reason` varchar(200),
	`created_by` bigint unsigned NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `offline_tallies_id` PRIMARY KEY(`id`),
	CONSTRAINT `offline_tallies_tellers_ck` CHECK(`offline_tallies`.`counter_membership_id` <> `offline_tallies`.`scrutineer_membership_id`)
);
--> statement-breakpoint
CREATE TABLE `vote_options` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`vote_id` bigint unsigned NOT NULL,
	`position` smallint unsigned NOT NULL,
	`label` varchar(40) NOT NULL,
	`kind` enum('agree','oppose','abstain','choice') NOT NULL,
	CONSTRAINT `vote_options_id` PRIMARY KEY(`id`),
	CONSTRAINT `vote_options_position_uq` UNIQUE(`vote_id`,`position`)
);
--> statement-breakpoint
CREATE TABLE `vote_voters` (
	`vote_id` bigint unsigned NOT NULL,
	`unit_id` bigint unsigned NOT NULL,
	`person_id` bigint unsigned NOT NULL,
	`channel` enum('online','offline') NOT NULL,
	CONSTRAINT `vote_voters_pk` PRIMARY KEY(`vote_id`,`unit_id`)
);
--> statement-breakpoint
CREATE TABLE `votes` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`meeting_id` bigint unsigned NOT NULL,
	`agenda_item_id` bigint unsigned NOT NULL,
	`question` varchar(200) NOT NULL,
	`secret` boolean NOT NULL,
	`electorate` enum('adults','households','representatives') NOT NULL,
	`pass_rule` enum('majority','two_thirds') NOT NULL,
	`max_choices` smallint unsigned NOT NULL,
	`state` enum('draft','open','closed') NOT NULL DEFAULT 'draft',
	`opened_at` datetime(3),
	`closed_at` datetime(3),
	`result` json,
	CONSTRAINT `votes_id` PRIMARY KEY(`id`),
	CONSTRAINT `votes_agenda_item_uq` UNIQUE(`agenda_item_id`),
	CONSTRAINT `votes_max_choices_ck` CHECK(`votes`.`max_choices` >= 1)
);
--> statement-breakpoint
ALTER TABLE `agenda_items` ADD CONSTRAINT `agenda_items_meeting_fk` FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `ballot_choices` ADD CONSTRAINT `ballot_choices_ballot_fk` FOREIGN KEY (`receipt_hash`) REFERENCES `ballots`(`receipt_hash`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `ballot_choices` ADD CONSTRAINT `ballot_choices_option_fk` FOREIGN KEY (`option_id`) REFERENCES `vote_options`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `ballots` ADD CONSTRAINT `ballots_vote_fk` FOREIGN KEY (`vote_id`) REFERENCES `votes`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `ballots` ADD CONSTRAINT `ballots_person_fk` FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `meeting_attendance` ADD CONSTRAINT `meeting_attendance_roll_fk` FOREIGN KEY (`meeting_id`,`person_id`) REFERENCES `meeting_roll`(`meeting_id`,`person_id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `meeting_attendance` ADD CONSTRAINT `meeting_attendance_recorded_by_fk` FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `meeting_roll` ADD CONSTRAINT `meeting_roll_meeting_fk` FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `meeting_roll` ADD CONSTRAINT `meeting_roll_person_fk` FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `meeting_roll` ADD CONSTRAINT `meeting_roll_household_fk` FOREIGN KEY (`household_id`) REFERENCES `households`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `meetings` ADD CONSTRAINT `meetings_village_fk` FOREIGN KEY (`village_id`) REFERENCES `villages`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `meetings` ADD CONSTRAINT `meetings_created_by_fk` FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `offline_tallies` ADD CONSTRAINT `offline_tallies_vote_fk` FOREIGN KEY (`vote_id`) REFERENCES `votes`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `offline_tallies` ADD CONSTRAINT `offline_tallies_counter_fk` FOREIGN KEY (`counter_membership_id`) REFERENCES `memberships`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `offline_tallies` ADD CONSTRAINT `offline_tallies_scrutineer_fk` FOREIGN KEY (`scrutineer_membership_id`) REFERENCES `memberships`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `offline_tallies` ADD CONSTRAINT `offline_tallies_created_by_fk` FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `vote_options` ADD CONSTRAINT `vote_options_vote_fk` FOREIGN KEY (`vote_id`) REFERENCES `votes`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `vote_voters` ADD CONSTRAINT `vote_voters_vote_fk` FOREIGN KEY (`vote_id`) REFERENCES `votes`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `vote_voters` ADD CONSTRAINT `vote_voters_person_fk` FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `votes` ADD CONSTRAINT `votes_meeting_fk` FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `votes` ADD CONSTRAINT `votes_agenda_item_fk` FOREIGN KEY (`agenda_item_id`) REFERENCES `agenda_items`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `ballots_vote_idx` ON `ballots` (`vote_id`);--> statement-breakpoint
CREATE INDEX `meetings_village_idx` ON `meetings` (`village_id`,`starts_at`);--> statement-breakpoint
CREATE INDEX `offline_tallies_vote_idx` ON `offline_tallies` (`vote_id`,`id`);--> statement-breakpoint
CREATE INDEX `vote_voters_person_idx` ON `vote_voters` (`vote_id`,`person_id`);--> statement-breakpoint
CREATE INDEX `votes_meeting_idx` ON `votes` (`meeting_id`);