CREATE TABLE `grid_workers` (
	`grid_id` bigint unsigned NOT NULL,
	`membership_id` bigint unsigned NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `grid_workers_pk` PRIMARY KEY(`grid_id`,`membership_id`)
);
--> statement-breakpoint
CREATE TABLE `persons` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`village_id` bigint unsigned NOT NULL,
	`household_id` bigint unsigned NOT NULL,
	`name` varchar(20) NOT NULL,
	`gender` enum('male','female') NOT NULL,
	`birth_date` date NOT NULL,
	`relation` varchar(16) NOT NULL,
	`phone` varchar(20),
	`status` enum('resident','moved_out','deceased') NOT NULL DEFAULT 'resident',
	`representative` boolean NOT NULL DEFAULT false,
	`party_member` boolean NOT NULL DEFAULT false,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `persons_id` PRIMARY KEY(`id`),
	CONSTRAINT `persons_identity_uq` UNIQUE(`village_id`,`household_id`,`name`,`birth_date`)
);
--> statement-breakpoint
CREATE TABLE `represented_households` (
	`household_id` bigint unsigned NOT NULL,
	`person_id` bigint unsigned NOT NULL,
	CONSTRAINT `represented_households_household_id` PRIMARY KEY(`household_id`)
);
--> statement-breakpoint
ALTER TABLE `grids` ADD `boundary` json;--> statement-breakpoint
ALTER TABLE `households` ADD `head_person_id` bigint unsigned;--> statement-breakpoint
ALTER TABLE `memberships` ADD `person_id` bigint unsigned;--> statement-breakpoint
ALTER TABLE `memberships` ADD CONSTRAINT `memberships_person_uq` UNIQUE(`person_id`);--> statement-breakpoint
ALTER TABLE `grid_workers` ADD CONSTRAINT `grid_workers_grid_fk` FOREIGN KEY (`grid_id`) REFERENCES `grids`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `grid_workers` ADD CONSTRAINT `grid_workers_membership_fk` FOREIGN KEY (`membership_id`) REFERENCES `memberships`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `persons` ADD CONSTRAINT `persons_village_fk` FOREIGN KEY (`village_id`) REFERENCES `villages`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `persons` ADD CONSTRAINT `persons_household_fk` FOREIGN KEY (`household_id`) REFERENCES `households`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `represented_households` ADD CONSTRAINT `represented_households_household_fk` FOREIGN KEY (`household_id`) REFERENCES `households`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `represented_households` ADD CONSTRAINT `represented_households_person_fk` FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `persons_village_name_idx` ON `persons` (`village_id`,`name`);--> statement-breakpoint
CREATE INDEX `represented_households_person_idx` ON `represented_households` (`person_id`);--> statement-breakpoint
ALTER TABLE `households` ADD CONSTRAINT `households_head_person_id_persons_id_fk` FOREIGN KEY (`head_person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `memberships` ADD CONSTRAINT `memberships_person_fk` FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `memberships` DROP COLUMN `representative`;