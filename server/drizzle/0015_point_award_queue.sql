CREATE TABLE `point_award_queue` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`village_id` bigint unsigned NOT NULL,
	`person_id` bigint unsigned NOT NULL,
	`rule_code` varchar(32) NOT NULL,
	`reason` varchar(200) NOT NULL,
	`ref_type` varchar(32),
	`ref_id` bigint unsigned,
	`idempotency_key` varchar(100) NOT NULL,
	CONSTRAINT `point_award_queue_id` PRIMARY KEY(`id`),
	CONSTRAINT `point_award_queue_key_uq` UNIQUE(`idempotency_key`)
);
--> statement-breakpoint
ALTER TABLE `point_award_queue` ADD CONSTRAINT `point_award_queue_village_fk` FOREIGN KEY (`village_id`) REFERENCES `villages`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `point_award_queue` ADD CONSTRAINT `point_award_queue_person_fk` FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;