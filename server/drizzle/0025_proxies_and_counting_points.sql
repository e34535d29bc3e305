CREATE TABLE `counting_point_tellers` (
	`counting_point_id` bigint unsigned NOT NULL,
	`membership_id` bigint unsigned NOT NULL,
	CONSTRAINT `counting_point_tellers_pk` PRIMARY KEY(`counting_point_id`,`membership_id`)
);
--> statement-breakpoint
CREATE TABLE `meeting_counting_points` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`meeting_id` bigint unsigned NOT NULL,
	`name` varchar(40) NOT NULL,
	`kind` enum('venue','mobile','branch') NOT NULL,
	`created_by` bigint unsigned,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `meeting_counting_points_id` PRIMARY KEY(`id`),
	CONSTRAINT `meeting_counting_points_name_uq` UNIQUE(`meeting_id`,`name`)
);
--> statement-breakpoint
CREATE TABLE `meeting_proxies` (
	`meeting_id` bigint unsigned NOT NULL,
	`principal_person_id` bigint unsigned NOT NULL,
	`proxy_person_id` bigint unsigned NOT NULL,
	`photo_key` char(64) NOT NULL,
	`recorded_by` bigint unsigned NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`cancelled_at` datetime(3),
	CONSTRAINT `meeting_proxies_pk` PRIMARY KEY(`meeting_id`,`principal_person_id`),
	CONSTRAINT `meeting_proxies_other_ck` CHECK(`meeting_proxies`.`principal_person_id` <> `meeting_proxies`.`proxy_person_id`)
);
--> statement-breakpoint
ALTER TABLE `vote_voters` MODIFY COLUMN `channel` enum('online','offline','proxy') NOT NULL;--> statement-breakpoint
ALTER TABLE `meeting_attendance` ADD `counting_point_id` bigint unsigned;--> statement-breakpoint
ALTER TABLE `meeting_settings` ADD `proxies_allowed` boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `offline_tallies` ADD `counting_point_id` bigint unsigned;--> statement-breakpoint
INSERT INTO `meeting_counting_points` (`meeting_id`, `name`, `kind`) SELECT DISTINCT v.`meeting_id`, '主会场', 'venue' FROM `offline_tallies` o JOIN `votes` v ON v.`id` = o.`vote_id`;--> statement-breakpoint
UPDATE `offline_tallies` o JOIN `votes` v ON v.`id` = o.`vote_id` JOIN `meeting_counting_points` p ON p.`meeting_id` = v.`meeting_id` AND p.`kind` = 'venue' SET o.`counting_point_id` = p.`id`;--> statement-breakpoint
ALTER TABLE `offline_tallies` MODIFY COLUMN `counting_point_id` bigint unsigned NOT NULL;--> statement-breakpoint
ALTER TABLE `offline_tallies` ADD `ballots_cast` int unsigned;--> statement-breakpoint
ALTER TABLE `offline_tallies` ADD `void` boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `offline_tallies` ADD `photo_key` char(64);--> statement-breakpoint
ALTER TABLE `counting_point_tellers` ADD CONSTRAINT `counting_point_tellers_counting_point_fk` FOREIGN KEY (`counting_point_id`) REFERENCES `meeting_counting_points`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `counting_point_tellers` ADD CONSTRAINT `counting_point_tellers_membership_fk` FOREIGN KEY (`membership_id`) REFERENCES `memberships`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `meeting_counting_points` ADD CONSTRAINT `meeting_counting_points_meeting_fk` FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `meeting_counting_points` ADD CONSTRAINT `meeting_counting_points_created_by_fk` FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `meeting_proxies` ADD CONSTRAINT `meeting_proxies_meeting_fk` FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `meeting_proxies` ADD CONSTRAINT `meeting_proxies_principal_person_fk` FOREIGN KEY (`principal_person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `meeting_proxies` ADD CONSTRAINT `meeting_proxies_proxy_fk` FOREIGN KEY (`proxy_person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `meeting_proxies` ADD CONSTRAINT `meeting_proxies_photo_fk` FOREIGN KEY (`photo_key`) REFERENCES `photos`(`key`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `meeting_proxies` ADD CONSTRAINT `meeting_proxies_recorded_by_fk` FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `meeting_proxies_proxy_idx` ON `meeting_proxies` (`meeting_id`,`proxy_person_id`);--> statement-breakpoint
ALTER TABLE `meeting_attendance` ADD CONSTRAINT `meeting_attendance_point_fk` FOREIGN KEY (`counting_point_id`) REFERENCES `meeting_counting_points`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `offline_tallies` ADD CONSTRAINT `offline_tallies_point_fk` FOREIGN KEY (`counting_point_id`) REFERENCES `meeting_counting_points`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `offline_tallies` ADD CONSTRAINT `offline_tallies_photo_fk` FOREIGN KEY (`photo_key`) REFERENCES `photos`(`key`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `meeting_attendance_point_idx` ON `meeting_attendance` (`meeting_id`,`counting_point_id`);--> statement-breakpoint
CREATE INDEX `offline_tallies_point_idx` ON `offline_tallies` (`vote_id`,`counting_point_id`,`id`);