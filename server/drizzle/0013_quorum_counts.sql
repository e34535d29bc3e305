ALTER TABLE `meetings` ADD `roll_adults` int unsigned;--> statement-breakpoint
ALTER TABLE `meetings` ADD `roll_representatives` int unsigned;--> statement-breakpoint
ALTER TABLE `meetings` ADD `roll_households` int unsigned;--> statement-breakpoint
ALTER TABLE `vote_voters` ADD `household_id` bigint unsigned NOT NULL;--> statement-breakpoint
CREATE INDEX `vote_voters_household_idx` ON `vote_voters` (`vote_id`,`household_id`);