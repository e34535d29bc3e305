CREATE TABLE `activities` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`village_id` bigint unsigned NOT NULL,
	`title` varchar(64) NOT NULL,
	`description` varchar(1000) NOT NULL,
	`place` varchar(100) NOT NULL,
	`starts_at` datetime(3) NOT NULL,
	`ends_at` datetime(3) NOT NULL,
	`capacity` int unsigned NOT NULL,
	`signed_up` int unsigned NOT NULL DEFAULT 0,
	`points_mode` enum('per_hour','fixed') NOT NULL,
	`points` int unsigned NOT NULL,
	`rule_code` varchar(32) NOT NULL DEFAULT 'volunteer_hour',
	`created_by` bigint unsigned NOT NULL,
	`cancelled_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `activities_id` PRIMARY KEY(`id`),
	CONSTRAINT `activities_capacity_ck` CHECK(`activities`.`signed_up` <= `activities`.`capacity`),
	CONSTRAINT `activities_time_ck` CHECK(`activities`.`ends_at` > `activities`.`starts_at`)
);
--> statement-breakpoint
CREATE TABLE `activity_signups` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`activity_id` bigint unsigned NOT NULL,
	`person_id` bigint unsigned NOT NULL,
	`status` enum('signed_up','cancelled','checked_in','checked_out','confirmed') NOT NULL DEFAULT 'signed_up',
	`checked_in_at` datetime(3),
	`checked_out_at` datetime(3),
	`confirmed_minutes` int unsigned,
	`entry_id` bigint unsigned,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `activity_signups_id` PRIMARY KEY(`id`),
	CONSTRAINT `activity_signups_person_uq` UNIQUE(`activity_id`,`person_id`)
);
--> statement-breakpoint
CREATE TABLE `neighbour_services` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`village_id` bigint unsigned NOT NULL,
	`kind` enum('offer','request') NOT NULL,
	`title` varchar(64) NOT NULL,
	`description` varchar(500) NOT NULL,
	`points` int unsigned NOT NULL,
	`poster_person_id` bigint unsigned NOT NULL,
	`taker_person_id` bigint unsigned,
	`status` enum('open','taken','completed','cancelled') NOT NULL DEFAULT 'open',
	`entry_id` bigint unsigned,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `neighbour_services_id` PRIMARY KEY(`id`),
	CONSTRAINT `neighbour_services_points_ck` CHECK(`neighbour_services`.`points` > 0)
);
--> statement-breakpoint
CREATE TABLE `shop_items` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`village_id` bigint unsigned NOT NULL,
	`name` varchar(64) NOT NULL,
	`photo` varchar(500),
	`cost` int unsigned NOT NULL,
	`stock` int unsigned NOT NULL,
	`per_member_limit` int unsigned,
	`available_from` datetime(3),
	`available_until` datetime(3),
	`active` boolean NOT NULL DEFAULT true,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `shop_items_id` PRIMARY KEY(`id`),
	CONSTRAINT `shop_items_cost_ck` CHECK(`shop_items`.`cost` > 0)
);
--> statement-breakpoint
CREATE TABLE `shop_orders` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`village_id` bigint unsigned NOT NULL,
	`item_id` bigint unsigned NOT NULL,
	`person_id` bigint unsigned NOT NULL,
	`quantity` int unsigned NOT NULL DEFAULT 1,
	`cost` int unsigned NOT NULL,
	`pickup_code` char(6) NOT NULL,
	`status` enum('pending','fulfilled','cancelled','expired') NOT NULL DEFAULT 'pending',
	`hold_entry_id` bigint unsigned NOT NULL,
	`close_entry_id` bigint unsigned,
	`expires_at` datetime(3) NOT NULL,
	`closed_at` datetime(3),
	`closed_by` bigint unsigned,
	`created_by` bigint unsigned,
	`idempotency_key` varchar(100) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `shop_orders_id` PRIMARY KEY(`id`),
	CONSTRAINT `shop_orders_code_uq` UNIQUE(`village_id`,`pickup_code`),
	CONSTRAINT `shop_orders_key_uq` UNIQUE(`idempotency_key`)
);
--> statement-breakpoint
ALTER TABLE `memberships` ADD `show_full_name` boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `activities` ADD CONSTRAINT `activities_village_fk` FOREIGN KEY (`village_id`) REFERENCES `villages`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `activity_signups` ADD CONSTRAINT `activity_signups_activity_fk` FOREIGN KEY (`activity_id`) REFERENCES `activities`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `activity_signups` ADD CONSTRAINT `activity_signups_person_fk` FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `neighbour_services` ADD CONSTRAINT `neighbour_services_poster_fk` FOREIGN KEY (`poster_person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `neighbour_services` ADD CONSTRAINT `neighbour_services_taker_fk` FOREIGN KEY (`taker_person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `shop_items` ADD CONSTRAINT `shop_items_village_fk` FOREIGN KEY (`village_id`) REFERENCES `villages`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `shop_orders` ADD CONSTRAINT `shop_orders_item_fk` FOREIGN KEY (`item_id`) REFERENCES `shop_items`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `shop_orders` ADD CONSTRAINT `shop_orders_person_fk` FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `shop_orders` ADD CONSTRAINT `shop_orders_hold_entry_fk` FOREIGN KEY (`hold_entry_id`) REFERENCES `point_entries`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `activities_village_start_idx` ON `activities` (`village_id`,`starts_at`);--> statement-breakpoint
CREATE INDEX `neighbour_services_village_status_idx` ON `neighbour_services` (`village_id`,`status`);--> statement-breakpoint
CREATE INDEX `shop_items_village_idx` ON `shop_items` (`village_id`,`active`);--> statement-breakpoint
CREATE INDEX `shop_orders_person_item_idx` ON `shop_orders` (`person_id`,`item_id`);--> statement-breakpoint
CREATE INDEX `shop_orders_status_expiry_idx` ON `shop_orders` (`status`,`expires_at`);