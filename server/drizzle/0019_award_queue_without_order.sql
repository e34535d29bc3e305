ALTER TABLE `point_award_queue` DROP COLUMN `id`;--> statement-breakpoint
ALTER TABLE `point_award_queue` DROP INDEX `point_award_queue_key_uq`;--> statement-breakpoint
ALTER TABLE `point_award_queue` MODIFY COLUMN `ref_type` varchar(32) NOT NULL;--> statement-breakpoint
ALTER TABLE `point_award_queue` MODIFY COLUMN `ref_id` bigint unsigned NOT NULL;--> statement-breakpoint
ALTER TABLE `point_award_queue` ADD PRIMARY KEY(`idempotency_key`);--> statement-breakpoint
ALTER TABLE `point_award_queue` ADD `held` boolean DEFAULT true NOT NULL;--> statement-breakpoint
CREATE INDEX `point_award_queue_ref_idx` ON `point_award_queue` (`ref_type`,`ref_id`,`person_id`);
--> statement-breakpoint
UPDATE `point_award_queue` q JOIN `votes` v ON q.`ref_type` = 'vote' AND v.`id` = q.`ref_id` SET q.`held` = false WHERE v.`state` = 'closed';
