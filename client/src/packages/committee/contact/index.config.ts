export default definePageConfig({ navigationBarTitleText: '电话和办公时间' })
